/* ident: identifiers (merchant_id, order_id, payout_no, ...).
 *
 * 1 to 64 bytes of [A-Za-z0-9._-], not starting with '.': they become
 * file names, so nothing else is allowed (SPEC 2). */
#ifndef IDENT_H
#define IDENT_H

#include <stddef.h>

enum { IDENT_MAX = 64 };

/* 1 when s[0..n) is a valid identifier. */
int ident_valid(const char *s, size_t n);

#endif
