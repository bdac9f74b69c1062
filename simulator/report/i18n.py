"""The one message catalogue: every word a person reads, in Dutch (default) and English.

The command line, the charts, the dashboard and the brief take their text from here, so that a
term is translated once and an identifier never reaches a reader. Names the analyst gives in a
scenario file (pools, streams, stages, outcomes, groups) carry their own nl/en labels there;
:func:`name` reads them. Numbers are shown by :mod:`simulator.report.units`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

LANGS = ("nl", "en")

_TEXT: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------------ categories
    "asylum": ("asiel", "asylum"),
    "nareis": ("nareis", "family reunification"),
    "other": ("overig", "other"),
    "other_what": ("verlengingen en vergunningen voor onbepaalde tijd na afloop van een tijdelijke "
                   "asielvergunning", "renewals and permanent permits after a temporary asylum permit expires"),
    # ------------------------------------------------------------------ yearly figures
    "backlog_end": ("werkvoorraad eind jaar", "backlog at year end"),
    "past_term_end": ("over de beslistermijn eind jaar", "past the legal term at year end"),
    "reception_end": ("in de opvang eind jaar", "in reception at year end"),
    "inflow": ("instroom", "inflow"),
    "first_decisions": ("eerste besluiten", "first decisions"),
    "lead_time_p50": ("doorlooptijd (mediaan)", "lead time (median)"),
    "lead_time_p90": ("doorlooptijd (90e percentiel)", "lead time (90th percentile)"),
    "lead_time_mean": ("doorlooptijd (gemiddeld)", "lead time (mean)"),
    "within_term_share": ("binnen de beslistermijn", "within the legal term"),
    "court_inflow": ("instroom rechtspraak", "appeals lodged"),
    "notices": ("ingebrekestellingen", "notices of default"),
    "nontimely_appeals": ("beroepen niet tijdig beslissen", "appeals for not deciding in time"),
    "penalty_eur": ("dwangsommen", "penalty payments"),
    "reception_places_end": ("opvangplaatsen eind jaar", "reception places at year end"),
    "reception_short_end": ("tekort aan opvangplaatsen eind jaar", "reception places short at year end"),
    "reception_cost_eur": ("kosten opvang", "reception costs"),
    "fte_end": ("productieve fte eind jaar", "productive FTE at year end"),
    "queue_end": ("wachtrij eind jaar", "queue at year end"),
    "reception_places": ("opvangplaatsen", "reception places"),
    "reception_short": ("tekort aan opvangplaatsen", "reception places short"),
    "backlog_asylum": ("werkvoorraad asiel", "asylum backlog"),
    "backlog_nareis": ("werkvoorraad nareis", "family reunification backlog"),
    "backlog_other": ("werkvoorraad overig", "other backlog"),
    # ------------------------------------------------------------------ monthly metrics
    "backlog": ("werkvoorraad", "backlog"),
    "stock": ("voorraad per fase", "stock per stage"),
    "past_term": ("over de beslistermijn", "past the legal term"),
    "reception": ("in de opvang", "in reception"),
    "decisions": ("besluiten", "decisions"),
    "exits": ("uitstroom", "exits"),
    "fte": ("productieve fte", "productive FTE"),
    "trainees": ("fte in opleiding", "FTE in training"),
    "hours_available": ("beschikbare uren", "hours available"),
    "hours_used": ("bestede uren", "hours used"),
    "utilisation": ("bezetting", "utilisation"),
    "queue": ("wachtrij", "queue"),
    # ------------------------------------------------------------------ chart words
    "date": ("datum", "date"),
    "cases": ("zaken", "cases"),
    "weeks": ("weken", "weeks"),
    "share": ("aandeel", "share"),
    "euro_month": ("€ mln per maand", "€ million per month"),
    "per_month": ("per maand", "per month"),
    "band": ("80%-band over replicaties", "80% band over replications"),
    "chart_backlog": ("Werkvoorraad asiel en nareis", "Backlog: asylum and family reunification"),
    "chart_backlog_other": ("Werkvoorraad asiel, nareis en overig (verlengingen)",
                            "Backlog: asylum, family reunification and other (renewals)"),
    "chart_lead_time": ("Doorlooptijd tot eerste besluit (mediaan)", "Lead time to first decision (median)"),
    "chart_within_term": ("Besluiten binnen de wettelijke termijn", "Decisions within the legal term"),
    "chart_utilisation": ("Bezetting van de IND-capaciteit", "Utilisation of IND capacity"),
    "chart_penalties": ("Dwangsommen per maand", "Penalty payments per month"),
    "chart_court": ("Instroom bij de rechtspraak", "Appeals lodged with the courts"),
    "chart_difference": ("Verschil met {base}: {what}", "Difference to {base}: {what}"),
    "chart_sensitivity": ("Gevoeligheid: {figure} bij ±{fraction}", "Sensitivity: {figure} at ±{fraction}"),
    "difference_to_base": ("verschil met de basis", "difference to base"),
    "replications_word": ("replicaties", "replications"),
    "source_line": ("Bron: IND-simulatiemodel indsim {version}; scenario {scenario}; "
                    "{replications} replicaties; seed {seed}; gemaakt {created}",
                    "Source: IND simulation model indsim {version}; scenario {scenario}; "
                    "{replications} replications; seed {seed}; created {created}"),
    # ------------------------------------------------------------------ how a sentence names things
    "the_baseline": ("het basisscenario", "the baseline"),
    "base_named": ("'{name}'", "'{name}'"),
    "more": ("meer", "more"),
    "less": ("minder", "less"),
    "than": ("dan", "than"),
    "above": ("boven", "above"),
    "below": ("onder", "below"),
    "to": ("tot", "to"),
    "and": ("en", "and"),
    "end_of": ("eind", "end"),
    "in_year": ("in", "in"),
    "results_in": ("Resultaten", "Results"),
    "full_table": ("Volledige tabel (alle jaren en figuren, met eenheden): {path}",
                   "Full table (every year and figure, with units): {path}"),
    # ------------------------------------------------------------------ sentences
    "peak": ("De {what} piekt in {when} op {value}", "The {what} peaks in {when} at {value}"),
    "peak_vs_base": ("{head}, {pct} {side} {base}", "{head}, {pct} {side} {base}"),
    "peak_at_start": ("De {what} is het hoogst in de eerste maand ({value} eind {when}); eind {last}: {end}",
                      "The {what} is highest in the first month ({value} at the end of {when}); at the end of "
                      "{last}: {end}"),
    "s_change": ("{What} is {when} {value}: {amount} {direction} dan in {base} (95%-interval: {bounds} {direction}).",
                 "{What} {when} is {value}: {amount} {direction} than in {base} (95% interval: {bounds} {direction})."),
    "s_new": ("{What} is {when} {value}, tegen {base_value} in {base}.",
              "{What} {when} is {value}, against {base_value} in {base}."),
    "s_level": ("{What} is {when} {value}.", "{What} {when} is {value}."),
    "s_headline": ("Het grootste effect: {text}", "The largest effect: {text}"),
    "s_but": ("Maar:", "But:"),
    "s_no_change": ("Geen van de hoofdcijfers verschilt meer dan toeval van {base}.",
                    "None of the main figures differs from {base} beyond chance."),
    "when_end": ("eind {year}", "at the end of {year}"),
    "when_in": ("in {year}", "in {year}"),
    "dir_more": ("meer", "more"),
    "dir_fewer": ("minder", "fewer"),
    "dir_longer": ("langer", "longer"),
    "dir_shorter": ("korter", "shorter"),
    "dir_higher": ("hoger", "higher"),
    "dir_lower": ("lager", "lower"),
    # noun phrases for sentences: np_<figure>_<category> (np_<figure> when summed over categories)
    "np_backlog_end_asylum": ("de werkvoorraad asiel", "the asylum backlog"),
    "np_backlog_end_nareis": ("de werkvoorraad nareis", "the family reunification backlog"),
    "np_backlog_end_other": ("de werkvoorraad overig", "the other backlog"),
    "np_lead_time_p50_asylum": ("de mediane doorlooptijd asiel", "the median asylum lead time"),
    "np_lead_time_p50_nareis": ("de mediane doorlooptijd nareis", "the median family reunification lead time"),
    "np_within_term_share_asylum": ("het aandeel asielbesluiten binnen de beslistermijn",
                                    "the share of asylum decisions within the legal term"),
    "np_within_term_share_nareis": ("het aandeel nareisbesluiten binnen de beslistermijn",
                                    "the share of family reunification decisions within the legal term"),
    "np_penalty_eur": ("het bedrag aan dwangsommen", "the amount of penalty payments"),
    "np_court_inflow_asylum": ("het aantal asielberoepen bij de rechtspraak", "the number of asylum appeals lodged"),
    "np_court_inflow": ("het aantal beroepszaken (beroep, hoger beroep en beroep wegens niet tijdig beslissen; asiel, "
                        "nareis en verlengingen)",
                        "the number of court appeals (appeals, higher appeals and appeals for not deciding in time; "
                        "asylum, nareis and renewals)"),
    "np_reception_end_asylum": ("het aantal mensen in de opvang", "the number of people in reception"),
    "np_first_decisions_asylum": ("het aantal eerste asielbesluiten", "the number of first asylum decisions"),
    "np_past_term_end_asylum": ("het aantal asielzaken over de beslistermijn",
                                "the number of asylum cases past the legal term"),
    "other_explained": ("'Overig' zijn: {what}.", "'Other' means: {what}."),
    "uncertainty": ("{scenario}, werkvoorraad asiel eind {year}: gemiddeld {mean} (95%-interval van het "
                    "gemiddelde {low}–{high}); 80% van de replicaties tussen {p10} en {p90}; {share} van die "
                    "spreiding komt van het getrokken instroomniveau, de rest van toeval binnen een run.",
                    "{scenario}, asylum backlog end {year}: mean {mean} (95% interval of the mean {low}–{high}); "
                    "80% of replications between {p10} and {p90}; {share} of that spread comes from the drawn "
                    "inflow level, the rest from randomness within a run."),
    "binding_pool": ("De bindende capaciteit is {pool}: bezetting {util} in {year}, en van de volledig bezette "
                     "capaciteiten groeide daar de wachtrij het meest ({growth}, tot {queue} zaken eind {year}, "
                     "alle stromen samen).",
                     "The binding capacity is {pool}: utilisation {util} in {year}, and of the capacities working "
                     "flat out its line grew most ({growth}, to {queue} cases at the end of {year}, all streams "
                     "together)."),
    "binding_longer_shrank": ("{pool} heeft een langere wachtrij ({queue} zaken eind {year}), maar die kromp "
                              "({growth}).",
                              "{pool} has a longer line ({queue} cases at the end of {year}), but it shrank "
                              "({growth})."),
    "binding_longer_grew": ("{pool} heeft een langere wachtrij ({queue} zaken eind {year}), maar die groeide minder "
                            "({growth}).",
                            "{pool} has a longer line ({queue} cases at the end of {year}), but it grew less "
                            "({growth})."),
    "binding_none": ("Geen capaciteit werkt in {year} volledig op; de doorlooptijd komt dan van wachttijden "
                     "elders in de keten.",
                     "No capacity works flat out in {year}; lead times then come from waiting elsewhere in the "
                     "chain."),
    # why a figure moves against intuition (simulator/report/explain.py)
    "why_head": ("In {year} is {what} {dir} dan in {base} ({pair}), hoewel {load}",
                 "In {year}, {what} is {dir} than in {base} ({pair}), although {load}"),
    "why_against": ("{value} tegen {base_value}", "{value} against {base_value}"),
    "why_within_term_share": ("het aandeel eerste besluiten binnen de wettelijke termijn",
                              "the share of first decisions within the legal term"),
    "why_lead_time_p50": ("de doorlooptijd tot het eerste besluit (mediaan)",
                          "the median lead time to the first decision"),
    "why_load_backlog_end": ("de werkvoorraad asiel eind {year} {dir} is ({pair})",
                             "the asylum backlog at the end of {year} is {dir} ({pair})"),
    "why_load_inflow": ("de instroom asiel {dir} is ({pair})", "the asylum inflow is {dir} ({pair})"),
    "why_load_first_decisions": ("de IND {dir} eerste besluiten neemt ({pair})",
                                 "the IND takes {dir} first decisions ({pair})"),
    "dir_larger": ("groter", "larger"),
    "dir_smaller": ("kleiner", "smaller"),
    "why_tracks_more": ("{share} van de eerste besluiten valt in snelle sporen{tracks}, waar wachtende zaken jonger "
                        "zijn dan {months} maanden, tegen {base_share} in {base}",
                        "{share} of first decisions fall in fast tracks{tracks}, where waiting cases are younger than "
                        "{months} months, against {base_share} in {base}"),
    "why_tracks_fewer": ("slechts {share} van de eerste besluiten valt in snelle sporen{tracks}, waar wachtende zaken "
                         "jonger zijn dan {months} maanden, tegen {base_share} in {base}",
                         "only {share} of first decisions fall in fast tracks{tracks}, where waiting cases are "
                         "younger than {months} months, against {base_share} in {base}"),
    "why_mainly": (" (vooral {tracks})", " (mainly {tracks})"),
    "why_old_wait": ("oude zaken wachten: minder besluiten gaan over zaken die de termijn al over waren ({pair})",
                     "old cases wait: fewer decisions concern cases already past their term ({pair})"),
    "why_old_decided": ("oude zaken worden afgehandeld: meer besluiten gaan over zaken die de termijn al over "
                        "waren ({pair})",
                        "old cases are cleared: more decisions concern cases already past their term ({pair})"),
    "why_past_more": (", en eind {year} staan {diff} meer zaken over de termijn open",
                      ", and at the end of {year}, {diff} more cases are open past their term"),
    "why_past_fewer": (", en eind {year} staan {diff} minder zaken over de termijn open",
                       ", and at the end of {year}, {diff} fewer cases are open past their term"),
    "summary_title": ("{title} — {n} replicaties, gemiddelde (95%-interval)",
                      "{title} — {n} replications, mean (95% interval)"),
    "compare_title": ("Verschil met {base} in {year} (gemiddelde, 95%-interval, {n} replicaties)",
                      "Difference to {base} in {year} (mean, 95% interval, {n} replications)"),
    "columns_are": ("Kolommen: {items}.", "Columns: {items}."),
    "sensitivity_title": ("Gevoeligheid van {figure} (±{fraction}, {n} replicaties; zonder variatie {base})",
                          "Sensitivity of {figure} (±{fraction}, {n} replications; unvaried {base})"),
    "parameter": ("parameter", "parameter"),
    "swing": ("uitslag", "swing"),
    "order_fifo": ("wie het langst in de rij wacht eerst", "longest waiting in the line first"),
    "order_oldest_first": ("de vroegst ingediende aanvraag eerst", "the application lodged earliest first"),
    "order_within": ("; daarbinnen {order}", "; within that, {order}"),
    "not_computed": ("niet berekend", "not computed"),
    "sensitivity_skipped": ("{parameter} {side}: niet berekend, want die variant is geen geldig scenario "
                            "({reason}); met een kleinere --fraction kan het wel.",
                            "{parameter} {side}: not computed, as that variant is not a valid scenario ({reason}); "
                            "a smaller --fraction may do."),
    "figure": ("hoofdcijfer", "main figure"),
    "year": ("jaar", "year"),
    "unit": ("eenheid", "unit"),
    "scenario": ("scenario", "scenario"),
    "category": ("categorie", "category"),
    "mean": ("gemiddelde", "mean"),
    "low": ("ondergrens 95%-interval", "low 95% interval"),
    "high": ("bovengrens 95%-interval", "high 95% interval"),
    "n": ("replicaties met een waarde", "replications with a value"),
    "value": ("waarde", "value"),
    "change": ("verschil (95%-interval)", "change (95% interval)"),
    "files_in": ("{n} bestanden in {out}", "{n} files in {out}"),
    "validation_progress": ("validatie: exacte wachtrijresultaten en de terugtoets 2023-2025...",
                            "validation: exact queueing results and the 2023-2025 backtest..."),
    "precision_note": ("{n} replicaties: halve breedte van het 95%-interval van {figure} is {achieved} "
                       "(gevraagd {asked}, {state})",
                       "{n} replications: 95% half-width of {figure} is {achieved} (asked {asked}, {state})"),
    "precision_met": ("gehaald", "reached"),
    "precision_capped": ("NIET gehaald (maximum bereikt)", "NOT reached (cap)"),
    "of_the_mean": ("% van het gemiddelde", "% of the mean"),
    "cap_warning": ("let op: {what}", "note: {what}"),
    "change_lost": ("Let op, een wijziging gaat verloren", "Note, a change is lost"),
    "cap_hiring": ("{pool}: het doel van {target} fte (nu {now}) wordt pas rond {when} bereikt: werving is "
                   "begrensd op {cap} per jaar en duurt {months} maanden opleiding",
                   "{pool}: the target of {target} FTE (now {now}) is reached only around {when}: hiring is "
                   "capped at {cap} a year and training takes {months} months"),
    "cap_places": ("{procedure}: ten hoogste {places} zaken tegelijk; de rest gaat naar {overflow}",
                   "{procedure}: at most {places} cases at once; the rest goes to {overflow}"),
    # ------------------------------------------------------------------ requirements
    "req_target": ("Doel: {target} (in {p} van de replicaties).", "Target: {target} (in {p} of replications)."),
    "req_without": ("Zonder extra capaciteit gehaald in {p} van de replicaties; {what} gemiddeld {value}.",
                    "Without extra capacity met in {p} of replications; {what} on average {value}."),
    "req_none_needed": ("- {lever}: geen extra capaciteit nodig.", "- {lever}: no extra capacity needed."),
    "req_needed": ("- {lever}: {extra} fte extra vanaf {start} (nu {now} fte){hiring}; dan gehaald in {p} "
                   "van de replicaties ({what} gemiddeld {value}).",
                   "- {lever}: {extra} FTE more from {start} (now {now} FTE){hiring}; then met in {p} of "
                   "replications ({what} on average {value})."),
    "req_by_chance": (" Let op: binnen de toevalsmarge. Zonder extra capaciteit haalt al {p0} van de replicaties het "
                      "doel; deze capaciteit verandert {what} gemiddeld {change}, minder dan de spreiding tussen de "
                      "replicaties ({spread}). Of zij nodig is, blijkt pas met meer replicaties (--replications).",
                      " Note: within the margin of chance. Without extra capacity {p0} of replications already meet "
                      "the target; this capacity moves {what} by {change} on average, less than the spread between "
                      "replications ({spread}). Whether it is needed shows only with more replications "
                      "(--replications)."),
    "req_others_chance": ("{extra} fte extra haalt het doel, maar binnen de toevalsmarge (zie boven): niet als "
                          "behoefte te lezen",
                          "{extra} FTE more meets the target, but within the margin of chance (see above): not to be "
                          "read as a need"),
    "req_hiring": (" via werving: {months} maanden opleiding{cap}",
                   " through hiring: {months} months of training{cap}"),
    "req_hiring_cap": (", ten hoogste {cap} nieuwe medewerkers per jaar", ", at most {cap} new staff a year"),
    "req_unreachable": ("- {lever}: niet haalbaar met deze capaciteit alleen, ook niet met {extra} fte extra. "
                        "{why} Met die {extra} fte extra: {what} gemiddeld {value} ({p} van de replicaties haalt "
                        "het doel).",
                        "- {lever}: not reachable with this capacity alone, not even with {extra} FTE more. "
                        "{why} With those {extra} FTE more: {what} on average {value} ({p} of replications meet "
                        "the target)."),
    "req_unreachable_hiring": ("- {lever}: niet haalbaar met deze capaciteit alleen, ook niet met een wervingsdoel "
                               "van {extra} fte extra. {why} Met dat doel: {what} gemiddeld {value} ({p} van de "
                               "replicaties haalt het doel).",
                               "- {lever}: not reachable with this capacity alone, not even with a hiring target "
                               "of {extra} FTE more. {why} With that target: {what} on average {value} ({p} of "
                               "replications meet the target)."),
    "why_hiring_cap": ("Wat het begrenst: de werving (ten hoogste {cap} per jaar) brengt tot {year} hooguit "
                       "{reach} fte extra.",
                       "What limits it: hiring (at most {cap} a year) brings at most {reach} FTE more by {year}."),
    "why_training": ("Wat het begrenst: de opleiding van {months} maanden; wie vanaf {start} wordt geworven, "
                     "is pas vanaf {ready} productief.",
                     "What limits it: {months} months of training; staff hired from {start} are productive "
                     "only from {ready}."),
    "why_other_pool": ("Wat het begrenst: {pool} is al volledig bezet en bindt eerst; meer {lever} verandert de "
                       "uitkomst nauwelijks ({change}).",
                       "What limits it: {pool} is already fully used and binds first; more {lever} hardly changes "
                       "the result ({change})."),
    "why_not_enough": ("Wat het begrenst: het effect is te klein; ook de grootste extra capaciteit verandert de "
                       "uitkomst maar met {change}.",
                       "What limits it: the effect is too small; even the largest extra capacity changes the "
                       "result by only {change}."),
    "why_worse": ("Let op: meer {lever} maakt {what} hier {direction} ({change}). {reason}",
                  "Note: more {lever} makes {what} {direction} here ({change}). {reason}"),
    "why_worse_reason": ("De reden: {pool} is al volledig bezet; meer zaken die bij hen in behandeling komen, "
                         "verdelen hun uren over meer zaken, zodat er minder worden afgerond (meer werk onderhanden "
                         "in plaats van meer besluiten). Wie het doel wil halen, moet die capaciteit mee laten "
                         "groeien.",
                         "The reason: {pool} is already fully used; more cases reaching them spread their hours over "
                         "more cases, so fewer are finished (more work in progress instead of more decisions). To "
                         "reach the target, that capacity has to grow along."),
    "why_worse_reason_late": ("De reden: met die capaciteit gaan in {year} meer besluiten over zaken die de "
                              "termijn al over waren ({late} tegen {late0} zonder extra capaciteit); eind {year} "
                              "staan er {past} zaken over de termijn open, tegen {past0}. Wie eerst oude zaken "
                              "afhandelt, drukt het aandeel binnen de termijn.",
                              "The reason: with that capacity more decisions in {year} are on cases already past "
                              "their term ({late} against {late0} without extra capacity); at the end of {year} "
                              "{past} cases are open past their term, against {past0}. Deciding old cases first "
                              "lowers the share within the term."),
    "why_worse_reason_plain": ("De reden: meer werk onderhanden bij een volle capaciteit verderop in de keten.",
                               "The reason: more work in progress at a full capacity further down the chain."),
    "req_others_title": ("Wat hebben wij van anderen nodig?", "What do we need from others?"),
    "req_others_partner": ("Van {pool}: {text}", "From {pool}: {text}"),
    "req_others_coa": ("Van het COA: opvang voor gemiddeld {value} mensen eind {year}: in de asielprocedure "
                       "of met een vergunning wachtend op een woning (zonder extra capaciteit).",
                       "From COA: reception for on average {value} people at the end of {year}: in the asylum "
                       "procedure, or granted a permit and waiting for a home (without extra capacity)."),
    "req_others_need": ("{extra} fte extra nodig voor dit doel", "{extra} FTE more needed for this target"),
    "req_others_enough": ("met de huidige capaciteit ({now} fte) is dit doel niet van hen afhankelijk",
                          "with today's capacity ({now} FTE) this target does not depend on them"),
    "req_others_unreachable": ("ook {extra} fte extra haalt het doel niet; meer van hen alleen is niet genoeg",
                               "even {extra} FTE more does not meet the target; more from them alone is not "
                               "enough"),
    "req_others_none": ("Geen van de partners buiten de IND is in deze zoektocht meegenomen; kies hun "
                        "capaciteit met --lever.",
                        "No partner outside IND was part of this search; choose their capacity with --lever."),
    "req_progress": ("{lever}: {extra} fte extra -> doel gehaald in {p} van de replicaties",
                     "{lever}: {extra} FTE more -> target met in {p} of replications"),
    "target_le": ("{what} {year} ten hoogste {value}", "{what} {year} at most {value}"),
    "target_ge": ("{what} {year} ten minste {value}", "{what} {year} at least {value}"),
    "target_lt": ("{what} {year} onder {value}", "{what} {year} below {value}"),
    "target_gt": ("{what} {year} boven {value}", "{what} {year} above {value}"),
    "in_the_year": ("in {year}", "in {year}"),
    "from_year": ("in elk jaar vanaf {year}", "in every year from {year}"),
    # ------------------------------------------------------------------ assumptions in words
    "was_then": ("{old} → {new}", "{old} → {new}"),
    "from_date": ("vanaf {date}", "from {date}"),
    "phased": ("ingevoerd over {n} {unit}", "phased in over {n} {unit}"),
    "in_steps": ("in stappen: {steps}", "in steps: {steps}"),
    "not_in_force": ("niet in werking", "not in force"),
    "not_reached": ("geen zaak komt er", "no case gets there"),
    "removed": ("vervalt", "removed"),
    "new_value": ("nieuw", "new"),
    "source": ("bron", "source"),
    "confidence": ("betrouwbaarheid", "confidence"),
    "high_conf": ("hoog", "high"),
    "medium_conf": ("middel", "medium"),
    "low_conf": ("laag", "low"),
    "assumption": ("aanname", "assumption"),
    "what_changes": ("wat verandert", "what changes"),
    "when": ("wanneer", "when"),
    "measure": ("maatregel", "measure"),
    "appeal_rate": ("beroepskans", "appeal rate"),
    "grant_rate": ("inwilligingskans", "grant rate"),
    "route_to": ("kans op {to}", "probability of {to}"),
    "route_to_outcome": ("kans op {to} ({outcome})", "probability of {to} ({outcome})"),
    "end_of_chain": ("einde", "end"),
    "no_outcome": ("zonder uitkomst", "without an outcome"),
    "routes_word": ("vervolgstappen: {routes}", "next steps: {routes}"),
    "spawn_after": ("nieuwe zaak in {stream} na {after}", "new case in {stream} after {after}"),
    "stage_removed": ("stap {stage} vervalt", "step {stage} is removed"),
    "months_word": ("maanden", "months"),
    "years_word": ("jaar", "years"),
    "weeks_word": ("weken", "weeks"),
    "days_word": ("dagen", "days"),
    "hours_word": ("uur", "hours"),
    # ------------------------------------------------------------------ brief
    "brief": ("Scenariobrief", "Scenario brief"),
    "key_messages": ("Kernboodschappen", "Key messages"),
    "main_figures": ("Hoofdcijfers {year}", "Main figures {year}"),
    "main_figures_note": ("Gemiddelde over {n} replicaties; tussen haakjes het 95%-interval van het verschil "
                          "over gepaarde replicaties.",
                          "Mean over {n} replications; in brackets the 95% interval of the difference over "
                          "paired replications."),
    "main_figures_note_one": ("Gemiddelde over {n} replicaties; tussen haakjes het 95%-interval.",
                              "Mean over {n} replications; in brackets the 95% interval."),
    "charts": ("Grafieken", "Charts"),
    "binding": ("Bindende capaciteit", "Binding capacity"),
    "assumptions": ("Gewijzigde aannames en bronnen", "Changed assumptions and sources"),
    "assumptions_base": ("{name}: {n} parameters, elk met bron (zie assurance/assumptions.md).",
                         "{name}: {n} parameters, each with its source (see assurance/assumptions.md)."),
    "assumptions_base_some": ("{name}: {n} parameters, {sourced} met bron en {missing} zonder, zoals {example} "
                              "(zie assurance/assumptions.md).",
                              "{name}: {n} parameters, {sourced} with a source and {missing} without, such as "
                              "{example} (see assurance/assumptions.md)."),
    "method": ("Methode, validatie en herkomst", "Method, validation and provenance"),
    "method_text": (
        "Discrete-eventsimulatie (simpy) van de asielketen per werkdag: instroom per stroom en "
        "nationaliteitsgroep, stappen met doorlooptijd en werk door capaciteitspools (fte × productieve uren), "
        "routering naar besluiten, beroep en vervolgzaken. Elke replicatie trekt andere toevallige aankomsten en "
        "werktijden; scenario's delen dezelfde trekkingen (common random numbers), zodat verschillen geen ruis "
        "zijn. Gemiddelden met 95%-interval over replicaties; banden in grafieken tonen 10–90% van de "
        "replicaties.",
        "Discrete-event simulation (simpy) of the asylum chain per working day: inflow per stream and nationality "
        "group, stages with elapsed time and work by capacity pools (FTE × productive hours), routing to "
        "decisions, appeals and follow-on cases. Each replication draws different random arrivals and work "
        "times; scenarios share the same draws (common random numbers), so differences are not noise. Means with "
        "95% intervals over replications; chart bands show 10–90% of replications."),
    "validation_summary": ("Validatie: {inside} van {total} exacte wachtrijresultaten binnen het 99%-interval; "
                           "in de terugtoets 2023–2025 liggen {good} van {held} achtergehouden gepubliceerde cijfers "
                           "binnen {tolerance} (assurance/validation.md).",
                           "Validation: {inside} of {total} exact queueing results inside the 99% interval; in the "
                           "2023–2025 backtest {good} of {held} held-back published figures lie within {tolerance} "
                           "(assurance/validation.md)."),
    "validation_skipped": ("Validatie: niet meegenomen in deze run (--no-validation); zie README, 'Verification "
                           "and validation'.",
                           "Validation: not part of this run (--no-validation); see README, 'Verification and "
                           "validation'."),
    "provenance": ("Herkomst: indsim {version}; {n} replicaties; seed {seed}; gemaakt {created}; "
                   "scenario's (inhoudshash): {hashes}.",
                   "Provenance: indsim {version}; {n} replications; seed {seed}; created {created}; "
                   "scenarios (content hash): {hashes}."),
    # ------------------------------------------------------------------ assurance documents
    "assumption_log": ("Aannamelog", "Assumption log"),
    "validation_report": ("Validatierapport", "Validation report"),
    "verification_head": ("Verificatie tegen exacte wachtrijresultaten", "Verification against exact queueing "
                          "results"),
    "verification_text": ("Stationaire gemiddelde werkvoorraad van wachtrijen in discrete tijd (Poisson-aankomsten "
                          "per dag, vaste dagcapaciteit), exact opgelost als Markovketen, tegen de engine "
                          "(99%-interval over replicaties).",
                          "Stationary mean backlog of discrete-time queues (Poisson daily arrivals, fixed daily "
                          "capacity), solved exactly as Markov chains, against the engine (99% interval over "
                          "replications)."),
    "verification_cols": ("| netwerk | bezetting | exact | gesimuleerd (99%-interval) | binnen |",
                          "| network | utilisation | exact | simulated (99% interval) | inside |"),
    "inside_count": ("{inside} van {total} exacte waarden binnen het interval.",
                     "{inside} of {total} exact values inside the interval."),
    "backtest_head": ("Terugtoets 2023-2025 tegen gepubliceerde cijfers",
                      "Backtest 2023-2025 against published figures"),
    "backtest_reading": ("Elke gepubliceerde reeks uit data/published.yaml binnen de periode van de terugtoets "
                         "(`indsim backtest`). low-high: 5e-95e percentiel van de replicaties. used_for_fit: "
                         "gefit door de kalibratie of invoer van het scenario, dus geen toets.",
                         "Every published series of data/published.yaml inside the backtest's horizon "
                         "(`indsim backtest`). low-high: 5th-95th percentile of the replications. used_for_fit: "
                         "fitted by the calibration or an input of the scenario, so not a test."),
    "backtest_held": ("Achtergehouden: {good} van {total} waarnemingen binnen {tolerance} van het gepubliceerde "
                      "cijfer (of aan de goede kant van een gepubliceerde grens).",
                      "Held back: {good} of {total} observations within {tolerance} of the published figure "
                      "(or on the right side of a published bound)."),
    "not_comparable": ("niet vergelijkbaar", "not comparable"),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    "stress_title": ("STRESS-DES-checklist", "STRESS-DES checklist"),
    "stress_intro": ("Strengthening the Reporting of Empirical Simulation Studies (DES), Monks e.a. (2019), "
                     "ingevuld vanuit het model en deze run.",
                     "Strengthening the Reporting of Empirical Simulation Studies (DES), Monks et al. (2019), "
                     "filled in from the model and this run."),
    "stress_cols": ("| Onderdeel | Punt | Antwoord |", "| Section | Item | Answer |"),
    "run_word": ("Run", "Run"),
    "section": ("Onderdeel", "Section"),
    # STRESS-DES items: (item, question, answer), answers filled in from the model and the run
    "stress_1.1": ("Doel van het model|Laten zien hoe beleidsschokken (Asielnoodmaatregelenwet, tweestatusstelsel, "
                   "EU-Migratiepact, terugtrekking van een ketenpartner) de werkvoorraad, doorlooptijden en besluiten "
                   "binnen de wettelijke termijn van de IND veranderen, en welke capaciteit anderen moeten leveren om "
                   "doelen te halen.",
                   "Purpose of the model|Show how policy shocks (emergency measures law, two-status system, EU Pact, "
                   "a chain partner's withdrawal) move IND's backlog, lead times and decisions within the legal term, "
                   "and what capacity others must provide to meet targets."),
    "stress_1.2": ("Uitkomsten|Per maand: voorraad per stap en stroom, instroom, besluiten naar uitkomst, "
                   "doorlooptijdpercentielen, zaken over de beslistermijn, dwangsommen, bezetting. Hoofdcijfers per "
                   "jaar (tables/figures.csv, met eenheden).",
                   "Model outputs|Monthly: stock per stage and stream, inflow, decisions by outcome, lead-time "
                   "percentiles, cases past the legal term, penalty payments, staff utilisation. Yearly main figures "
                   "(tables/figures.csv, with units)."),
    "stress_1.3": ("Doel van de experimenten|Scenario's {names} vergeleken met '{base}' op gemeenschappelijke "
                   "toevalsgetallen; verschillen met 95%-intervallen over gepaarde replicaties.",
                   "Experimentation aims|Scenarios {names} compared with '{base}' using common random numbers; "
                   "differences with 95% intervals over paired replications."),
    "stress_2.1": ("Overzicht van het model|README.md, onderdelen 'Architecture' en 'A scenario file'.",
                   "Base model overview diagram|README.md, sections 'Architecture' and 'A scenario file'."),
    "stress_2.2": ("Logica van het model|Dagelijkse cyclus: gedateerde wijzigingen, aankomsten, einde van "
                   "wachttijden, intake, werk door pools in volgorde van voorrang, routering, registratie "
                   "(simulator/model/engine.py).",
                   "Base model logic|Daily cycle: dated changes, arrivals, releases after elapsed-time delays, "
                   "intake, work by pools in priority order, routing, recording (simulator/model/engine.py)."),
    "stress_2.3": ("Logica van de scenario's|Gedateerde maatregelen (ineens, lineair ingevoerd of in stappen) "
                   "veranderen parameters, voegen stappen en procedures toe of halen ze weg (zie assumptions.md).",
                   "Scenario logic|Dated interventions (abrupt, linear phase-in or steps) change parameters, add or "
                   "remove stages and procedures (see assumptions.md)."),
    "stress_2.4": ("Algoritmen|Toevalsgetallen per zaak en stap (SplitMix64), trekking via de inverse "
                   "verdelingsfunctie; routering door uniforme trekkingen tegen cumulatieve kansen.",
                   "Algorithms|Counter-based random numbers per case and step (SplitMix64), inverse-transform "
                   "sampling; routing by uniform draws against cumulative shares."),
    "stress_2.5.1": ("Entiteiten|Zaken in stromen: {streams}.", "Entities|Cases in streams: {streams}."),
    "stress_2.5.2": ("Activiteiten|{n} stappen: {stages}.", "Activities|{n} stages: {stages}."),
    "stress_2.5.3": ("Capaciteit|Pools (fte × productieve uren): {pools}.",
                     "Resources|Pools (FTE x productive hours): {pools}."),
    "stress_2.5.4": ("Wachtrijen|Per stap, in de volgorde van de pool (wie het langst wacht eerst, voorrang naar "
                     "spoor of groep, oudste eerst).",
                     "Queues|Per stage, by the pool's discipline (first-in-first-out, priority by track or group, "
                     "oldest first)."),
    "stress_2.5.5": ("In- en uitgang|Stromen beginnen bij hun eerste stap; routes naar 'einde' verlaten de keten "
                     "met een uitkomst; vervolgzaken (verlengingen, nareis, terugkeer na Dublin) komen in andere "
                     "stromen.",
                     "Entry/exit points|Streams enter at their entry stage; routes to 'exit' leave with an outcome; "
                     "spawned follow-on cases (renewals, family reunification, re-entry) enter other streams."),
    "stress_3.1": ("Gegevensbronnen|../shared/DOMAIN.md (IND, Kamerbrieven, CBS, EU-verordeningen); elk getal in "
                   "een scenariobestand noemt zijn bron of zegt 'aanname'.",
                   "Data sources|../shared/DOMAIN.md (IND, Kamerbrieven, CBS, EU regulations); each number in a "
                   "scenario file names its source or says 'assumption'."),
    "stress_3.2": ("Voorbewerking|Beginvoorraad per stap afgeleid uit de terugtoets 2023-2025 "
                   "(scripts/derive_baseline_stock.py); capaciteit, beroeps- en ingebrekestellingsgedrag van de "
                   "terugtoets gekalibreerd met ABC-SMC op gepubliceerde voorraden en ingebrekestellingen "
                   "(indsim calibrate, scenarios/calibration/history.yaml).",
                   "Pre-processing|Initial stock per stage derived from the 2023-2025 backtest "
                   "(scripts/derive_baseline_stock.py); the backtest's capacity, appeal and notice behaviour "
                   "calibrated by ABC-SMC to published stocks and notices (indsim calibrate, "
                   "scenarios/calibration/history.yaml)."),
    "stress_3.3": ("Invoerparameters|{n} parameters in de aannamelog; {no_source} zonder bron; {low} met lage "
                   "betrouwbaarheid.",
                   "Input parameters|{n} parameters in the assumption log; {no_source} without a source; {low} "
                   "marked low confidence."),
    "stress_3.4": ("Aannames|assurance/assumptions.md en README 'Assumptions and limits'.",
                   "Assumptions|assurance/assumptions.md and README 'Assumptions and limits'."),
    "stress_4.1": ("Initialisatie|Start vanuit de open voorraad met zijn leeftijdsopbouw op de startdatum (geen "
                   "inloopperiode).",
                   "Initialisation|Starts from the open stock with its age profile at the start date (no warm-up)."),
    "stress_4.2": ("Looptijd|{years} jaar vanaf {start} (eindig).", "Run length|{years} years from {start} "
                   "(terminating)."),
    "stress_4.3": ("Schatting|{n} replicaties; gemiddelde en t-interval; 10-90%-banden; `indsim run --precision` "
                   "kiest het aantal voor een gevraagde halve breedte.",
                   "Estimation approach|{n} replications; mean and t-interval; 10-90% bands; `indsim run "
                   "--precision` chooses the number for a requested half-width."),
    "stress_5.1": ("Software|{software}.", "Software|{software}."),
    "stress_5.2": ("Toevalsgetallen|Seed {seed}; onafhankelijke stromen per replicatie, zaak en stap; dezelfde "
                   "uitkomsten bij elk aantal workers of backend.",
                   "Random sampling|Seed {seed}; per replication, case and step independent streams; identical "
                   "results for any number of workers or backend."),
    "stress_5.3": ("Uitvoering|Tijdstappen van een dag in een simpy-omgeving met een proces per fase van de dag; "
                   "werk per pool gevectoriseerd.",
                   "Model execution|Daily time steps in a simpy environment with one process per daily phase; "
                   "vectorised work per pool."),
    "stress_5.4": ("Systeem|{system}; benchmarks/README.md.", "System specification|{system}; "
                   "benchmarks/README.md."),
    "stress_6.1": ("Delen van het model|Open source in deze repository; scenariobestanden en manifest.json "
                   "reproduceren elk cijfer.",
                   "Computer model sharing|Open source in this repository; scenario files and manifest.json "
                   "reproduce every figure."),
    # workbook and table headings
    "col_series": ("reeks", "series"),
    "col_metric": ("maatstaf", "metric"),
    "col_date": ("datum", "date"),
    "col_base": ("basis", "base"),
    "col_base_name": ("basisscenario", "base scenario"),
    "col_difference": ("verschil", "difference"),
    "col_indsim_version": ("indsim-versie", "indsim version"),
    "col_seed": ("seed", "seed"),
    "col_created": ("gemaakt", "created"),
    "col_key": ("sleutel", "key"),
    "col_pool": ("capaciteit", "capacity"),
    "col_queue": ("wachtrij eind jaar", "queue at year end"),
    "col_utilisation": ("bezetting", "utilisation"),
    "col_band_low": ("ondergrens 80%-band (10e percentiel)", "low 80% band (10th percentile)"),
    "col_band_high": ("bovengrens 80%-band (90e percentiel)", "high 80% band (90th percentile)"),
    "col_replication": ("replicatie", "replication"),
    "col_replications": ("replicaties in de run", "replications in the run"),
    "col_stream": ("stroom", "stream"),
    "col_stage": ("fase", "stage"),
    "col_outcome": ("uitkomst", "outcome"),
    "col_age_band": ("leeftijd zaak (maanden)", "case age (months)"),
    "col_title": ("scenario's", "scenarios"),
    "col_software": ("software", "software"),
    "col_description": ("run (seed, replicaties, datum, scenario's met inhoudshash)",
                        "run (seed, replications, date, scenarios with content hash)"),
    "sheet_figures": ("hoofdcijfers", "figures"),
    "sheet_comparison": ("vergelijking", "comparison"),
    "sheet_backlog": ("werkvoorraad", "backlog"),
    "sheet_lead_time": ("doorlooptijd", "lead time"),
    "sheet_within_term": ("binnen termijn", "within term"),
    "sheet_penalties": ("dwangsommen", "penalties"),
    "sheet_utilisation": ("bezetting", "utilisation"),
    "sheet_provenance": ("herkomst", "provenance"),
    # ------------------------------------------------------------------ exploration (indsim explore, Verkennen, brief)
    "xp_fig_backlog_end": ("een werkvoorraad", "a backlog"),
    "xp_fig_past_term_end": ("zaken over de beslistermijn", "cases past the legal term"),
    "xp_fig_reception_end": ("mensen in de opvang", "people in reception"),
    "xp_fig_reception_short_end": ("een tekort aan opvangplaatsen", "a shortage of reception places"),
    "xp_fig_lead_time_p50": ("een mediane doorlooptijd", "a median lead time"),
    "xp_fig_lead_time_p90": ("een doorlooptijd (90e percentiel)", "a lead time (90th percentile)"),
    "xp_fig_lead_time_mean": ("een gemiddelde doorlooptijd", "a mean lead time"),
    "xp_fig_within_term_share": ("een aandeel binnen de beslistermijn", "a share within the legal term"),
    "xp_fig_penalty_eur": ("dwangsommen", "penalty payments"),
    "xp_fig_reception_cost_eur": ("opvangkosten", "reception costs"),
    "xp_fig_first_decisions": ("eerste besluiten", "first decisions"),
    "xp_fig_inflow": ("een instroom", "an inflow"),
    "xp_op_gt": ("boven", "above"),
    "xp_op_ge": ("van ten minste", "of at least"),
    "xp_op_lt": ("onder", "below"),
    "xp_op_le": ("van ten hoogste", "of at most"),
    "xp_every_year_from": ("vanaf {year} elk jaar", "every year from {year}"),
    "xp_surge_year": ("jaar van de piek", "year of the surge"),
    "xp_never": ("{name}: nooit", "{name}: never"),
    "xp_not_before": ("niet vóór {when}", "not before {when}"),
    "xp_before": ("vóór {when}", "before {when}"),
    "xp_or_never": (" of nooit", " or never"),
    "xp_date_span": ("{name} van {low} tot {high}", "{name} from {low} until {high}"),
    "xp_year_is": ("{name}: {year}", "{name}: {year}"),
    "xp_year_from": ("{name} vanaf {year}", "{name} from {year} on"),
    "xp_year_until": ("{name} uiterlijk {year}", "{name} in {year} or earlier"),
    "xp_year_span": ("{name} van {low} tot en met {high}", "{name} from {low} to {high}"),
    "xp_group_other_inflow": ("instroom overig", "other inflow"),
    "xp_group_hours_per_case": ("uren per zaak", "hours per case"),
    "xp_group_ind_staff": ("IND-personeel", "IND staff"),
    "xp_group_reception_penalties": ("opvang en dwangsommen", "reception and penalties"),
    "xp_group_pact_law_effects": ("effecten Pact en wetten", "effects of the Pact and laws"),
    "xp_group_other_ranges": ("overige onzekere getallen", "other uncertain numbers"),
    "xp_group_applicant_behaviour": ("gedrag aanvragers", "applicants' behaviour"),
    "xp_group_legislation": ("wetgeving", "legislation"),
    "xp_between": ("{name} tussen {low} en {high}", "{name} between {low} and {high}"),
    "xp_and_also": ("én", "and"),
    "xp_box": ("{method} {box}: In {coverage} van de toekomsten met {condition} geldt: {conditions}. Binnen deze "
               "voorwaarden gebeurt het in {density} van de toekomsten ({mass} van alle toekomsten valt erin).",
               "{method} {box}: In {coverage} of the futures with {condition}: {conditions}. Under these "
               "conditions it happens in {density} of the futures ({mass} of all futures fall in the box)."),
    "xp_best": ("Met '{best}' wordt het doel ({goal}) in {share} van de toekomsten gehaald; '{ref}' haalt het in "
                "{ref_share}.",
                "With '{best}' the goal ({goal}) is met in {share} of the futures; '{ref}' meets it in {ref_share}."),
    "xp_best_alone": ("Met '{best}' wordt het doel ({goal}) in {share} van de toekomsten gehaald.",
                      "With '{best}' the goal ({goal}) is met in {share} of the futures."),
    "xp_needs": ("Wat dat van anderen vraagt: als {conditions}, dan wordt het doel met die maatregelen in {density} "
                 "van die toekomsten gehaald ({coverage} van alle toekomsten waarin het lukt).",
                 "What it needs from others: if {conditions}, the goal is met with these measures in {density} of "
                 "those futures ({coverage} of all futures in which it works)."),
    "xp_needs_none": ("Wat dat van anderen vraagt: geen voorwaarde die anderen in handen hebben ({others}) "
                      "onderscheidt de toekomsten waarin het doel met die maatregelen gehaald wordt "
                      "aantoonbaar (quasi-p ≤ 0,05) van die waarin het niet lukt.",
                      "What it needs from others: no condition others control ({others}) tells the futures in which "
                      "these measures meet the goal demonstrably (quasi-p ≤ 0.05) from those in which they do not."),
    "xp_phase": ("Geleidelijk of abrupt: '{gradual}' haalt het doel in {gradual_share} van de toekomsten, '{abrupt}' "
                 "in {abrupt_share}; in {better} van de toekomsten is geleidelijk beter (gemiddeld verschil, "
                 "geleidelijk min abrupt: {difference}).",
                 "Gradual or abrupt: '{gradual}' meets the goal in {gradual_share} of the futures, '{abrupt}' in "
                 "{abrupt_share}; gradual is better in {better} of the futures (mean difference, gradual minus "
                 "abrupt: {difference})."),
    "xp_col_policy": ("beleidskeuze", "policy"),
    "xp_col_satisficing": ("doel gehaald in", "goal met in"),
    "xp_col_mean": ("gemiddelde uitkomst", "mean outcome"),
    "xp_col_regret_mean": ("spijt, gemiddeld", "regret, mean"),
    "xp_col_regret_max": ("spijt, hoogst", "regret, maximum"),
    "xp_col_best_in": ("de beste in", "best in"),
    "xp_chart_sobol": ("Wat bepaalt de uitkomst het meest?", "What matters most?"),
    "xp_total": ("totaal (ST)", "total (ST)"),
    "xp_first_order": ("eerste orde (S1)", "first order (S1)"),
    "xp_sobol_index": ("Sobol-index", "Sobol index"),
    "xp_sobol_total": ("Sobol-index (totaal)", "Sobol index (total)"),
    "xp_sobol_first": ("Sobol-index (eerste orde)", "Sobol index (first order)"),
    "xp_chart_scatter": ("De twee belangrijkste onzekerheden", "The two most influential uncertainties"),
    "xp_chart_tradeoff": ("Afweging dekking en dichtheid", "Trade-off of coverage and density"),
    "xp_box_limits": ("{method} {box}, grenzen: {n}", "{method} {box}, limits: {n}"),
    "xp_coverage": ("dekking (coverage)", "coverage"),
    "xp_density": ("dichtheid (density)", "density"),
    "xp_title_meta": ("verkenning {scenario}", "exploration {scenario}"),
    "xp_brief_heading": ("Verkenning van toekomsten", "Exploration of futures"),
    "xp_brief_what": ("{n} experimenten ({futures} toekomsten × {policies} beleidskeuzes) van scenario {scenario}, "
                      "seed {seed}; de bestanden staan in exploration/.",
                      "{n} experiments ({futures} futures × {policies} policies) of scenario {scenario}, seed "
                      "{seed}; the files are in exploration/."),
    "xp_cli_done": ("{n} experimenten ({futures} toekomsten × {policies} beleidskeuzes, {ran} nu doorgerekend)",
                    "{n} experiments ({futures} futures × {policies} policies, {ran} run now)"),
    "ui_app_verkennen": ("Verkennen", "Explore"),
    "ui_verkennen_title": ("Verkennen: toekomsten die niemand schetste", "Explore: futures nobody sketched"),
    "ui_verkennen_intro": ("Duizenden mogelijke toekomsten (onzekerheden) en beleidskeuzes (hefbomen) zijn "
                           "doorgerekend met `indsim explore`. Hier staan de voorwaarden waaronder een doel faalt of "
                           "lukt, wat de uitkomst het meest bepaalt en welke keuze in de meeste toekomsten het doel "
                           "haalt.",
                           "Thousands of possible futures (uncertainties) and policy choices (levers) were run with "
                           "`indsim explore`. Here are the conditions under which a goal fails or succeeds, what "
                           "matters most, and which choice meets the goal in most futures."),
    "ui_verkennen_none": ("Er is nog geen verkenning. Een verkenning rekent honderden mogelijke toekomsten door "
                          "en duurt daarom langer dan een pagina mag wachten; een analist maakt haar en zet haar "
                          "klaar, waarna ze hier verschijnt.",
                          "There is no exploration yet. An exploration computes hundreds of possible futures, "
                          "longer than a page may wait; an analyst makes it beforehand, and then it appears here."),
    "ui_verkennen_none_how": ("Voor de analist", "For the analyst"),
    "ui_verkennen_none_command": ("De map waarin deze pagina zoekt: `{root}`. Een verkenning maken, bijvoorbeeld:",
                                  "The folder this page looks in: `{root}`. To make an exploration, e.g.:"),
    "ui_verkennen_choose": ("Verkenning", "Exploration"),
    "ui_verkennen_caption": ("Scenario {scenario} ({start}–{end}), {n} experimenten: {futures} toekomsten × "
                             "{policies} beleidskeuzes, steekproef {sampler}, seed {seed}.",
                             "Scenario {scenario} ({start}–{end}), {n} experiments: {futures} futures × {policies} "
                             "policies, sampler {sampler}, seed {seed}."),
    "ui_verkennen_interim": ("Tussenstand: {n} van de {planned} experimenten zijn klaar.",
                             "Interim: {n} of {planned} experiments have finished."),
    "ui_verkennen_found": ("Wat we vonden", "What we found"),
    "ui_verkennen_sobol_caption": ("Totaal: het deel van de spreiding in de uitkomst dat met deze onzekerheid "
                                   "samenhangt, ook via samenspel met andere; eerste orde: door deze onzekerheid "
                                   "alleen.",
                                   "Total: the share of the outcome's variance linked to this uncertainty, including "
                                   "interactions; first order: by this uncertainty alone."),
    "ui_verkennen_policies": ("Beleidskeuzes over alle toekomsten", "Policies across all futures"),
    # ------------------------------------------------------------------ the dashboard (app.py, views/)
    "ui_export_sheet_figures": ("hoofdcijfers", "main figures"),
    "ui_export_sheet_metrics": ("maandcijfers", "monthly metrics"),
    "ui_export_sheet_differences": ("verschillen", "differences"),
    "ui_export_sheet_provenance": ("herkomst", "provenance"),
    "ui_randvoorwaarden_vanaf": ("Extra capaciteit vanaf", "Extra capacity from"),
    "col_lever": ("capaciteitsbron", "capacity source"),
    "col_now": ("nu (fte)", "now (FTE)"),
    "col_extra": ("extra (fte)", "extra (FTE)"),
    "col_probability": ("kans doel gehaald", "probability target met"),
    "col_limit": ("wat begrenst", "what limits"),
    "limit_": ("", ""),
    "limit_training": ("opleidingsduur", "training time"),
    "limit_hiring_cap": ("wervingsplafond", "hiring cap"),
    "limit_worse": ("meer capaciteit maakt het erger", "more capacity makes it worse"),
    "limit_other_pool": ("andere capaciteit bindt", "another capacity binds"),
    "limit_too_small": ("effect te klein", "effect too small"),
    "tile_backlog_end_asylum": ("Werkvoorraad asiel", "Asylum backlog"),
    "tile_backlog_end_nareis": ("Werkvoorraad nareis", "Family reunification backlog"),
    "tile_lead_time_p50_asylum": ("Doorlooptijd asiel (mediaan, weken)", "Asylum lead time (median, weeks)"),
    "tile_within_term_share_asylum": ("Binnen de beslistermijn (asiel)", "Within the legal term (asylum)"),
    "tile_penalty_eur_asylum": ("Dwangsommen (€ mln)", "Penalty payments (€ million)"),
    "tile_reception_end_asylum": ("Wachtend in de opvang", "Waiting in reception"),
    "ui_wat_als_niets_veranderd": ("Er is nog niets veranderd ten opzichte van het basisscenario: kies een "
                                   "schok, een ander instroomniveau, extra medewerkers of een andere volgorde.",
                                   "Nothing differs from the baseline yet: choose a shock, another inflow level, "
                                   "extra staff or another order of work."),
    "shock_amp": ("EU-Migratiepact", "EU Pact on Migration and Asylum"),
    "shock_uitvoeringswet_pact": ("Uitvoeringswet Pact (vergunning 3 jaar, twee statussen)",
                                  "Pact implementation bill (3-year permits, two statuses)"),
    "shock_asielnoodmaatregelenwet": ("Asielnoodmaatregelenwet", "Emergency asylum measures law"),
    "shock_tweestatusstelsel": ("Tweestatusstelsel", "Two-status system"),
    "shock_ketenpartner": ("Ketenpartner stopt (VWN) en nieuwe rol advocatuur",
                           "Chain partner withdraws (VWN), new role for lawyers"),
    "ui_app_replicaties_per_scenario": ("Replicaties per scenario",
                                        "Replications per scenario"),
    "ui_app_meer_replicaties_geven": ("Meer replicaties geven smallere intervallen maar rekenen langer.",
                                      "More replications give narrower intervals but take longer."),
    "ui_app_overzicht": ("Overzicht",
                         "Overview"),
    "ui_app_scenarios_vergelijken": ("Scenario's vergelijken",
                                     "Compare scenarios"),
    "ui_app_watals": ("Wat-als",
                      "What-if"),
    "ui_app_randvoorwaarden": ("Randvoorwaarden",
                               "Preconditions"),
    "ui_app_aannames": ("Aannames",
                        "Assumptions"),
    "ui_dashboard_rekenen": ("Rekenen…",
                             "Computing…"),
    "ui_dashboard_rekenen_done_van": ("Rekenen aan {total} replicaties: {percent} klaar",
                                      "Computing {total} replications: {percent} done"),
    "ui_dashboard_te_veel_replicaties": ("{n} replicaties in één berekening is meer dan {max}: kies minder scenario's "
                                         "of replicaties.",
                                         "{n} replications in one computation is more than {max}: choose fewer "
                                         "scenarios or replications."),
    "ui_dashboard_in_de_wachtrij": ("In de wachtrij (plaats {position}): een andere berekening loopt nog",
                                    "Queued (place {position}): another computation is running"),
    "ui_dashboard_budget_tijd": ("De berekening is gestopt: ze ging over haar budget van {limit} s (tijd). Kies "
                                 "minder scenario's of replicaties.",
                                 "The computation was stopped: it went over its budget of {limit} s (time). Choose "
                                 "fewer scenarios or replications."),
    "ui_dashboard_budget_geheugen": ("De berekening is gestopt: ze ging over haar budget van {limit} MB (geheugen). "
                                     "Kies minder scenario's of replicaties.",
                                     "The computation was stopped: it went over its budget of {limit} MB (memory). "
                                     "Choose fewer scenarios or replications."),
    "ui_dashboard_er_ging_iets_mis": ("Er ging iets mis ({kind}); de beheerder vindt de details in het serverlog.",
                                      "Something went wrong ({kind}); the operator finds the details in the server "
                                      "log."),
    "ui_dashboard_deze_resultaten_zijn": ("Deze resultaten zijn nog niet berekend ({n} replicaties).",
                                          "These results have not been computed yet ({n} replications)."),
    "ui_dashboard_voorberekenen": ("De standaardweergave wordt berekend ({total} replicaties): {percent} klaar",
                                   "Computing the default view ({total} replications): {percent} done"),
    "ui_dashboard_voorberekenen_mislukt": ("Het vooraf berekenen van de standaardweergave is niet gelukt; bereken "
                                           "hieronder zelf.",
                                           "Computing the default view in advance did not succeed; compute it "
                                           "below."),
    "ui_chart_datum": ("maand", "month"),
    "ui_chart_waarde": ("gemiddelde", "mean"),
    "ui_chart_band": ("80%-band", "80% band"),
    "ui_chart_scenario": ("scenario", "scenario"),
    "ui_chart_reeks": ("reeks", "series"),
    "ui_chart_ingreep": ("maatregel", "intervention"),
    "ui_dashboard_waarom": ("Waarom?", "Why?"),
    "caveat_drained": ("Let op: eind {year} is de werkvoorraad asiel in {scenario} {backlog} zaken, lager dan "
                       "IND sinds 2022 heeft gehad ({lowest} begin 2022). Doorlooptijden en het aandeel binnen de "
                       "termijn volgen dan vooral uit de aanname over het personeel, niet uit het beleid.",
                       "Note: at the end of {year} the asylum backlog in {scenario} is {backlog} cases, lower than "
                       "IND has had since 2022 ({lowest} at the start of 2022). Lead times and the share within "
                       "the term then follow mostly from the staff assumption, not from the policy."),
    "caveat_capacity": ("Het model neemt dat jaar {decisions} eerste besluiten, meer dan de {capacity} per jaar "
                        "die IND in maart 2025 als zijn capaciteit noemde (zie Aannames en beperkingen in de "
                        "README).",
                        "The model takes {decisions} first decisions that year, more than the {capacity} a year "
                        "IND named as its capacity in March 2025 (see Assumptions and limits in the README)."),
    "caveat_drained_many": ("Let op: eind {year} is de werkvoorraad asiel {places}: lager dan IND sinds 2022 heeft "
                            "gehad ({lowest} begin 2022). Doorlooptijden en het aandeel binnen de termijn volgen dan "
                            "vooral uit de aanname over het personeel, niet uit het beleid.",
                            "Note: at the end of {year} the asylum backlog is {places}: lower than IND has had since "
                            "2022 ({lowest} at the start of 2022). Lead times and the share within the term then "
                            "follow mostly from the staff assumption, not from the policy."),
    "caveat_key_messages": ("De kernboodschappen hierboven nemen doorlooptijden en het aandeel binnen de termijn "
                            "daarom niet uit zo'n jaar.",
                            "The key messages above therefore take no lead time or share within the term from such "
                            "a year."),
    "caveat_place": ("in {scenario} {backlog} zaken", "{backlog} cases in {scenario}"),
    "caveat_capacity_most": ("Het model neemt dat jaar tot {decisions} eerste besluiten, meer dan de {capacity} per "
                             "jaar die IND in maart 2025 als zijn capaciteit noemde (zie Aannames en beperkingen in "
                             "de README).",
                             "The model takes up to {decisions} first decisions that year, more than the {capacity} "
                             "a year IND named as its capacity in March 2025 (see Assumptions and limits in the "
                             "README)."),
    "caveat_drained_years": ("Let op: eind {years} is de werkvoorraad asiel in {scenario} lager dan IND sinds 2022 "
                             "heeft gehad ({backlogs} zaken, tegen {lowest} begin 2022). Doorlooptijden en het "
                             "aandeel binnen de termijn volgen in die jaren vooral uit de aanname over het personeel, "
                             "niet uit het beleid.",
                             "Note: at the end of {years} the asylum backlog in {scenario} is lower than IND has had "
                             "since 2022 ({backlogs} cases, against {lowest} at the start of 2022). Lead times and the "
                             "share within the term in those years follow mostly from the staff assumption, not "
                             "from the policy."),
    "caveat_capacity_years": ("Het model neemt in die jaren tot {decisions} eerste besluiten per jaar, meer dan de "
                              "{capacity} per jaar die IND in maart 2025 als zijn capaciteit noemde (zie Aannames en "
                              "beperkingen in de README).",
                              "The model takes up to {decisions} first decisions a year in those years, more than the "
                              "{capacity} a year IND named as its capacity in March 2025 (see Assumptions and limits "
                              "in the README)."),
    "ui_dashboard_bereken": ("Bereken",
                             "Compute"),
    "ui_dashboard_eind": ("eind",
                          "end"),
    "ui_app_instroomband": ("Onzekerheid in de instroom meenemen", "Include the uncertainty of the inflow"),
    "ui_app_instroomband_uitleg": ("Elke replicatie trekt haar instroomniveau uit de band van de "
                                   "Migratieprognose (MPP, september 2025: 39.000 tot 67.100 aanvragen in 2026). "
                                   "De intervallen worden breder en rekenen een andere set replicaties door.",
                                   "Each replication draws its inflow level from the band of the migration "
                                   "forecast (MPP, September 2025: 39,000 to 67,100 applications in 2026). The "
                                   "intervals widen; it computes another set of replications."),
    "ui_dashboard_intervallen_toeval": ("De 95%-intervallen tonen alleen het toeval tussen replicaties bij deze "
                                        "aannames, niet de onzekerheid in de instroomprognose of in de aannames "
                                        "zelf (zie Aannames). Zet links 'Onzekerheid in de instroom meenemen' aan "
                                        "voor de prognoseband.",
                                        "The 95% intervals show only chance between replications under these "
                                        "assumptions, not the uncertainty of the inflow forecast or of the "
                                        "assumptions themselves (see Assumptions). Switch on 'Include the "
                                        "uncertainty of the inflow' on the left for the forecast's band."),
    "ui_dashboard_intervallen_band": ("De 95%-intervallen tonen het toeval tussen replicaties en de onzekerheid "
                                      "in de instroom (de MPP-band), niet die in de overige aannames (zie "
                                      "Aannames).",
                                      "The 95% intervals show chance between replications and the uncertainty "
                                      "of the inflow (the MPP band), not that of the other assumptions (see "
                                      "Assumptions)."),
    "ui_dashboard_verandering_tov_het": ("Verandering t.o.v. het basisscenario, met 95%-interval over gepaarde "
                                         "replicaties",
                                         "Change against the baseline, with 95% interval over paired replications"),
    "ui_dashboard_jaar": ("Jaar",
                          "Year"),
    "ui_aannames_aannames_en_bronnen": ("Aannames en bronnen",
                                        "Assumptions and sources"),
    "ui_aannames_elke_parameter_die": ("Elke parameter die afwijkt van het basisscenario, met waarde, eenheid, bron en"
                                       " betrouwbaarheid. Voor het basisscenario zelf: al zijn parameters.",
                                       "Every parameter that differs from the baseline, with value, unit, source and "
                                       "confidence. For the baseline itself: all its parameters."),
    "ui_aannames_n_parameters_waarvan": ("{n} parameters, waarvan {low} met lage betrouwbaarheid.",
                                         "{n} parameters, {low} of them with low confidence."),
    "ui_aannames_scenarios": ("Scenario's", "Scenarios"),
    "ui_aannames_technisch": ("Technisch: dezelfde parameters zoals in het scenariobestand (paden en ruwe waarden)",
                              "Technical: the same parameters as in the scenario file (paths and raw values)"),
    "ui_aannames_from": ("vanaf", "from"),
    "ui_aannames_intervention": ("maatregel", "intervention"),
    "ui_aannames_baseline": ("basisscenario", "baseline"),
    "ui_export_overzicht": ("Overzicht",
                            "Overview"),
    "ui_export_vergelijking": ("Vergelijking",
                               "Comparison"),
    "ui_export_watals": ("Wat-als",
                         "What-if"),
    "ui_export_nog_niets_om": ("Nog niets om te exporteren: bekijk eerst resultaten op Overzicht, Vergelijken of "
                               "Wat-als.",
                               "Nothing to export yet: first view results on Overview, Compare or What-if."),
    "ui_export_resultaten": ("Resultaten",
                             "Results"),
    "ui_export_deze_resultaten_zijn": ("Deze resultaten zijn niet meer in het geheugen; reken ze opnieuw uit.",
                                       "These results are no longer in memory; compute them again."),
    "ui_export_werkvoorraad": ("Werkvoorraad",
                               "Backlog"),
    "ui_export_doorlooptijd": ("Doorlooptijd",
                               "Lead time"),
    "ui_export_binnen_termijn": ("Binnen termijn",
                                 "Within term"),
    "ui_export_bezetting": ("Bezetting",
                            "Utilisation"),
    "ui_export_dwangsommen": ("Dwangsommen",
                              "Penalties"),
    "ui_export_verschil_werkvoorraad_asiel": ("Verschil werkvoorraad asiel",
                                              "Difference asylum backlog"),
    "ui_export_verschil_werkvoorraad_nareis": ("Verschil werkvoorraad nareis",
                                               "Difference nareis backlog"),
    "ui_export_grafiek": ("Grafiek",
                          "Chart"),
    "ui_export_scenarios": ("Scenario's: ",
                            "Scenarios: "),
    "ui_export_gegevens": ("Gegevens",
                           "Data"),
    "ui_export_hoofdcijfers_csv": ("Hoofdcijfers (CSV)",
                                   "Main figures (CSV)"),
    "ui_overzicht_overzicht": ("Overzicht",
                               "Overview"),
    "ui_overzicht_scenario": ("Scenario",
                              "Scenario"),
    "ui_overzicht_lijnen_gemiddelde_over": ("Lijnen: gemiddelde over replicaties; banden: 10–90% van de replicaties; "
                                            "verticale lijnen: ingangsdata van maatregelen (sleutel onder de grafiek).",
                                            "Lines: mean over replications; bands: 10–90% of replications; vertical "
                                            "lines: start dates of measures (key below the chart)."),
    "ui_randvoorwaarden_randvoorwaarden_wat_hebben": ("Randvoorwaarden: wat hebben we nodig van anderen?",
                                                      "Preconditions: what do we need from others?"),
    "ui_randvoorwaarden_zoekt_per_capaciteitsbron": ("Zoekt per capaciteitsbron de kleinste extra capaciteit (fte, via"
                                                     " werving met opleidingstijd en instroomplafond waar die gelden) "
                                                     "waarmee het doel in de gekozen kans van de replicaties wordt "
                                                     "gehaald.",
                                                     "Finds per capacity source the least extra capacity (FTE, "
                                                     "through hiring with training time and intake cap where they "
                                                     "apply) that meets the target in the chosen share of "
                                                     "replications."),
    "ui_randvoorwaarden_doel": ("Doel",
                                "Target"),
    "ui_randvoorwaarden_werkvoorraad_asiel_ten": ("Werkvoorraad asiel ten hoogste",
                                                  "Asylum backlog at most"),
    "ui_randvoorwaarden_werkvoorraad_nareis_ten": ("Werkvoorraad nareis ten hoogste",
                                                   "Family reunification backlog at most"),
    "ui_randvoorwaarden_aandeel_binnen_termijn": ("Aandeel binnen termijn ten minste",
                                                  "Share within term at least"),
    "ui_randvoorwaarden_waarde_aantal_of": ("Waarde (aantal, of aandeel 0–1)",
                                            "Value (count, or share 0–1)"),
    "ui_randvoorwaarden_aandeel_tussen": ("Een aandeel binnen de termijn is een getal van 0 tot 1 (0,9 is 90%), "
                                          "niet {value:g}.",
                                          "A share within the term is a number from 0 to 1 (0.9 is 90%), not "
                                          "{value:g}."),
    "ui_randvoorwaarden_in_jaar": ("In jaar",
                                   "In year"),
    "ui_randvoorwaarden_elk_jaar_vanaf": ("En elk jaar daarna", "And every year after it"),
    "ui_randvoorwaarden_kans_aandeel_replicaties": ("Kans (percentage replicaties dat het doel haalt)",
                                                    "Probability (percentage of replications meeting the target)"),
    "ui_randvoorwaarden_capaciteitsbronnen": ("Capaciteitsbronnen",
                                              "Capacity sources"),
    "ui_randvoorwaarden_berekenen": ("Berekenen",
                                     "Compute"),
    "ui_randvoorwaarden_kies_minstens_n": ("Kies minstens één capaciteitsbron.",
                                           "Choose at least one capacity source."),
    "ui_randvoorwaarden_zoeken": ("Zoeken…",
                                  "Searching…"),
    "ui_randvoorwaarden_klaar": ("Klaar",
                                 "Done"),
    "ui_vergelijken_scenarios_vergelijken": ("Scenario's vergelijken",
                                             "Compare scenarios"),
    "ui_vergelijken_eigen_scenario_toevoegen": ("Eigen scenario toevoegen (YAML)",
                                                "Add your own scenario (YAML)"),
    "ui_vergelijken_niet_toegevoegd": ("Niet toegevoegd", "Not added"),
    "ui_vergelijken_scenario_name_is": ("Scenario '{name}' is geldig en toegevoegd.",
                                        "Scenario '{name}' is valid and added."),
    "ui_vergelijken_scenarios_het_eerste": ("Scenario's (het eerste is de basis)",
                                            "Scenarios (the first is the base)"),
    "ui_vergelijken_kies_minstens_twee": ("Kies minstens twee scenario's.",
                                          "Choose at least two scenarios."),
    "ui_vergelijken_verschillen_met_de": ("Verschillen met de basis in {year} (gemiddelde en 95%-interval)",
                                          "Differences to the base in {year} (mean and 95% interval)"),
    "ui_wat_als_watals": ("Wat-als",
                          "What-if"),
    "ui_wat_als_stel_de_knoppen": ("Stel de knoppen in en klik op **Doorrekenen**; het resultaat verschijnt naast het "
                                   "basisscenario.",
                                   "Set the levers and click **Run**; the result appears next to the baseline."),
    "ui_wat_als_instroom_asiel_van": ("Instroom asiel (% van basis)",
                                      "Asylum inflow (% of baseline)"),
    "ui_wat_als_extra_indmedewerkers_asiel": ("Extra IND-medewerkers asiel (fte)",
                                              "Extra IND asylum staff (FTE)"),
    "ui_wat_als_extra_fte_vanaf": ("Extra fte vanaf",
                                   "Extra FTE from"),
    "ui_wat_als_ingangsdatum": ("Ingangsdatum",
                                "Start date"),
    "ui_wat_als_invoering_in_maanden": ("Invoering in maanden (0 = in één keer)",
                                        "Phase-in months (0 = at once)"),
    "ui_wat_als_volgorde": ("Volgorde van horen IND (vanaf de start van het scenario)",
                            "IND's order of interviews (from the scenario's start)"),
    "ui_wat_als_volgorde_gepland": ("zoals gepland",
                                    "as planned"),
    "ui_wat_als_volgorde_oudste": ("vroegst ingediende aanvraag eerst (binnen de voorrang)",
                                   "earliest lodged application first (within the priorities)"),
    "ui_wat_als_doorrekenen": ("Doorrekenen",
                               "Run"),
    "ui_wat_als_scenario_downloaden_yaml": ("Scenario downloaden (YAML)",
                                            "Download scenario (YAML)"),
}

_MONTHS = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def t(key: str, lang: str = "nl", **fmt) -> str:
    """The text for ``key`` in ``lang``. An unknown key is a programming error (KeyError), so
    that an identifier never reaches a reader in place of a word."""
    nl, en = _TEXT[key]
    text = nl if lang == "nl" else en
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    return key in _TEXT


def add(entries: dict[str, tuple[str, str]]) -> None:
    """Register a module's own messages (the dashboard pages, the assurance documents) in the
    one catalogue; a key may be defined only once."""
    clash = sorted(set(entries) & set(_TEXT))
    if clash:
        raise KeyError(f"messages defined twice: {', '.join(clash)}")
    _TEXT.update(entries)


def month(d: dt.date, lang: str = "nl") -> str:
    """A month as 'jan 2027' (nl) or 'Jan 2027' (en)."""
    return f"{_MONTHS[lang][d.month - 1]} {d.year}"


def day(d: dt.date, lang: str = "nl") -> str:
    """A date as '1 jan 2027' (nl) or '1 Jan 2027' (en)."""
    return f"{d.day} {month(d, lang)}"


def name(scenarios: Iterable, kind: str, key: str, lang: str = "nl") -> str:
    """The label of a pool, stream, stage, group or outcome as the scenario files give it (the
    first scenario that knows it); 'end' for the exit, 'without an outcome' for the outcome 'none', the
    catalogue for categories and figures."""
    if kind == "stages" and key == "exit":
        return t("end_of_chain", lang)
    if kind == "outcomes" and key == "none":  # the model's label for an exit without an outcome
        return t("no_outcome", lang)
    for s in scenarios:
        if kind == "groups":
            for st in s.streams.values():
                g = st.groups.get(key)
                if g is not None and g.label is not None:
                    return g.label.text(lang)
            continue
        if kind == "outcomes":
            if key in s.outcomes:
                return s.outcomes[key].text(lang)
            continue
        item = getattr(s, kind, {}).get(key)
        if item is not None:
            return item.label.text(lang)
    return t(key, lang) if has(key) else key.replace("_", " ")


def joined(items: list[str], lang: str = "nl") -> str:
    """'a, b en c' / 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('and', lang)} {items[-1]}"


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def figure_label(figure: str, category: str, lang: str = "nl") -> str:
    """'werkvoorraad eind jaar asiel' for (backlog_end, asylum)."""
    return f"{t(figure, lang)} {t(category, lang)}"


def figure_noun(figure: str, category: str, lang: str = "nl") -> str:
    """The figure as a sentence names it: 'het aandeel asielbesluiten binnen de beslistermijn'
    (its label where the catalogue has no such phrase)."""
    key = f"np_{figure}_{category}"
    return t(key, lang) if has(key) else figure_label(figure, category, lang)


def figure_in_year(figure: str, category: str, year: int, lang: str = "nl") -> str:
    """'de werkvoorraad asiel eind 2028', 'de mediane doorlooptijd asiel in 2028'."""
    what = figure_noun(figure, category, lang)
    return f"{what} {t('when_end' if figure.endswith('_end') else 'when_in', lang, year=year)}"
