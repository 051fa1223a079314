/* SPDX-License-Identifier: MIT */
#include "ct_event.h"

static const char *const ct__event_names[CT_EV__COUNT] = {
	[CT_EV_UNKNOWN] = "?",
	[CT_EV_RUN_BEGIN] = "ct_run:run_begin",
	[CT_EV_RUN_END] = "ct_run:run_end",
	[CT_EV_PHASE_BEGIN] = "ct_run:phase_begin",
	[CT_EV_PHASE_END] = "ct_run:phase_end",
	[CT_EV_THREAD_BEGIN] = "ct_run:thread_begin",
	[CT_EV_THREAD_END] = "ct_run:thread_end",
	[CT_EV_NAME] = "ct_run:name",
	[CT_EV_FORK] = "ct_run:fork",
	[CT_EV_CHILD_EXIT] = "ct_run:child_exit",
	[CT_EV_JOIN_BEGIN] = "ct_run:join_begin",
	[CT_EV_JOIN_END] = "ct_run:join_end",
	[CT_EV_WORK_BEGIN] = "ct_work:begin",
	[CT_EV_WORK_END] = "ct_work:end",
	[CT_EV_PIPE_CREATE] = "ct_pipe:create",
	[CT_EV_PIPE_WRITE_BEGIN] = "ct_pipe:write_begin",
	[CT_EV_PIPE_WRITE_END] = "ct_pipe:write_end",
	[CT_EV_PIPE_READ_BEGIN] = "ct_pipe:read_begin",
	[CT_EV_PIPE_READ_END] = "ct_pipe:read_end",
	[CT_EV_PIPE_CLOSE] = "ct_pipe:close",
	[CT_EV_SELECT_BEGIN] = "ct_select:begin",
	[CT_EV_SELECT_END] = "ct_select:end",
	[CT_EV_LOCK_REQUEST] = "ct_lock:request",
	[CT_EV_LOCK_ACQUIRE] = "ct_lock:acquire",
	[CT_EV_LOCK_RELEASE] = "ct_lock:release",
	[CT_EV_LOCK_SUMMARY] = "ct_lock:summary",
	[CT_EV_COND_WAIT_BEGIN] = "ct_cond:wait_begin",
	[CT_EV_COND_WAIT_END] = "ct_cond:wait_end",
	[CT_EV_COND_SIGNAL] = "ct_cond:signal",
	[CT_EV_COND_BROADCAST] = "ct_cond:broadcast",
	[CT_EV_POOL_CREATE] = "ct_pool:create",
	[CT_EV_POOL_DESTROY] = "ct_pool:destroy",
	[CT_EV_POOL_SUBMIT] = "ct_pool:submit",
	[CT_EV_POOL_TASK_BEGIN] = "ct_pool:task_begin",
	[CT_EV_POOL_TASK_END] = "ct_pool:task_end",
	[CT_EV_QUEUE_PUT] = "ct_queue:put",
	[CT_EV_QUEUE_GET] = "ct_queue:get",
	[CT_EV_SEM_REQUEST] = "ct_sem:request",
	[CT_EV_SEM_ACQUIRE] = "ct_sem:acquire",
	[CT_EV_SEM_FAIL] = "ct_sem:fail",
	[CT_EV_SEM_POST] = "ct_sem:post",
	[CT_EV_DISCARDED] = "discarded",
};

const char *ct_event_type_name(enum ct_ev_type type)
{
	if ((unsigned)type >= CT_EV__COUNT || !ct__event_names[type])
		return "?";
	return ct__event_names[type];
}
