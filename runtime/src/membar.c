/* SPDX-License-Identifier: MIT */
/* membarrier(2) for the pipes' ownership protocol: see ct_membar.h. */
#define _GNU_SOURCE
#include "ct_membar.h"

#include <linux/membarrier.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int ct__membar_usable(struct ct__membar *m)
{
        if (!m->state) {
                long cmds = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);

                m->cmds = cmds < 0 ? 0 : (int)cmds;
                m->state =
                    (m->cmds & (MEMBARRIER_CMD_PRIVATE_EXPEDITED | MEMBARRIER_CMD_GLOBAL)) ? 1 : -1;
        }
        return m->state > 0;
}

void ct__membar_all_threads(struct ct__membar *m)
{
        if (!m->registered && (m->cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) &&
            syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0)
                m->registered = 1;
        if (m->registered && syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0)
                return;
        if ((m->cmds & MEMBARRIER_CMD_GLOBAL) &&
            syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0) == 0)
                return;
        abort(); /* owners exist only if ct__membar_usable() said membarrier works */
}
