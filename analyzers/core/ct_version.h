/* SPDX-License-Identifier: MIT */
/*
 * What this conctrace is and what it runs with: its version and commit, and
 * the LTTng-UST, lttng-ctl and Babeltrace 2 versions (`conctrace --version`,
 * the JSON report's "tool" object).
 */
#ifndef CT_VERSION_H
#define CT_VERSION_H

#include <stddef.h>

struct ct_version_info {
        const char *version;           /* conctrace's own, e.g. "0.1.0" */
        const char *commit;            /* git commit of the build, "unknown" outside git */
        const char *lttng_ust;         /* LTTng-UST built against (pkg-config) */
        const char *lttng_ctl;         /* lttng-ctl built against (pkg-config) */
        const char *babeltrace2_built; /* Babeltrace 2 built against (pkg-config) */
        char babeltrace2[72];          /* Babeltrace 2 loaded at run time (bt_version_get_*) */
};

/* Fills info (strings static, babeltrace2 formatted in place). */
void ct_version_get(struct ct_version_info *info);

#endif /* CT_VERSION_H */
