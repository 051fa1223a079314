/* SPDX-License-Identifier: MIT */
/*
 * Findings (ct_findings.c): reads the tables of a complete report and adds
 * the "findings" table as its first table.
 */
#ifndef CT_FINDINGS_H
#define CT_FINDINGS_H

struct ct_report;

void ct__findings_add(struct ct_report *r);

#endif /* CT_FINDINGS_H */
