/* SPDX-License-Identifier: MIT */
#include "ct_version.h"

#include <babeltrace2/babeltrace.h>
#include <stdio.h>

#include "ct_version_build.h"
#include "ct_version_git.h"

void ct_version_get(struct ct_version_info *info)
{
        info->version = CT_VERSION;
        info->commit = CT_GIT_COMMIT;
        info->lttng_ust = CT_BUILT_LTTNG_UST;
        info->lttng_ctl = CT_BUILT_LTTNG_CTL;
        info->babeltrace2_built = CT_BUILT_BABELTRACE2;
        snprintf(info->babeltrace2, sizeof(info->babeltrace2), "%u.%u.%u", bt_version_get_major(),
                 bt_version_get_minor(), bt_version_get_patch());
}
