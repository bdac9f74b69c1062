"""A hint to the processor: start loading a case's row now, because a compiled pass will read it
a few cases later.

The compiled passes visit a day's cases at scattered rows of a table of millions (see
:mod:`cases`). A pass with a long loop body keeps few loads in flight, so each row that is not
in cache stalls it for a full memory round trip; asking for the row of the case ``AHEAD``
positions on lets those loads overlap. A prefetch never changes a result: it only moves data
into the cache earlier.
"""

from __future__ import annotations

from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

# Cases: far enough to cover a memory round trip, near enough to stay in L1 (8, 16 and 32 served
# a line equally fast here). Numba checks only the file of a function it cached, so after changing
# this, delete the ``*.nbi``/``*.nbc`` files under ``simulator/model/__pycache__``.
AHEAD = 16


@intrinsic
def prefetch(typingctx, arr, idx):
    """Load the cache line of ``arr[idx]`` (``llvm.prefetch``: read, keep in all cache levels)."""
    if not isinstance(arr, types.Array) or not isinstance(idx, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        aryty, idxty = signature.args
        ary = context.make_array(aryty)(context, builder, args[0])
        i = context.cast(builder, args[1], idxty, types.intp)
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [i], wraparound=False, boundscheck=False)
        byte = builder.bitcast(ptr, ir.IntType(8).as_pointer())
        i32 = ir.IntType(32)
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.VoidType(), [byte.type, i32, i32, i32]),
                                            "llvm.prefetch.p0")
        builder.call(fn, [byte, i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return types.void(arr, idx), codegen


@njit(cache=True, nogil=True, inline="always")
def ahead(ids, i, column) -> None:
    """Prefetch the line of ``column`` (indexed by case id) of the case ``AHEAD`` positions after
    ``i`` in ``ids``; a case whose row spans two lines needs one call per line it reads."""
    # No branch on the array reads (the last case stands in near the end, a tombstone's -1 for
    # row 0): a helper that reads arrays inside branches slows the loops that inline it.
    c = ids[min(i + AHEAD, len(ids) - 1)]
    prefetch(column, max(c, 0))
