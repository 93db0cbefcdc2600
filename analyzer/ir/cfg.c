/* Questions about a function's control-flow graph that several passes ask. */
#include <stdlib.h>

#include "ir/ir.h"
#include "util/util.h"

int block_nsucc(const Block *b) { return b->term == TERM_BRANCH ? 2 : b->term == TERM_JUMP ? 1 : 0; }

/* Block start lies in a loop: it can reach itself. */
bool block_in_cycle(const Function *fn, int start) {
    int n = fn->nblocks, *stack = xmalloc(sizeof(int) * (size_t)(2 * n + 2)), sp = 0;
    bool *seen = xcalloc((size_t)n + 1, 1), found = false;
    const Block *b0 = &fn->blocks[start];
    for (int s = 0; s < block_nsucc(b0); s++)
        if (b0->succ[s] >= 0) stack[sp++] = b0->succ[s];
    while (sp && !found) {
        int x = stack[--sp];
        if (x == start) found = true;
        if (seen[x]) continue;
        seen[x] = true;
        const Block *b = &fn->blocks[x];
        for (int s = 0; s < block_nsucc(b); s++)
            if (b->succ[s] >= 0 && !seen[b->succ[s]]) stack[sp++] = b->succ[s];
    }
    free(stack), free(seen);
    return found;
}
