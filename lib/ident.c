/* ident: identifier check. */
#include "ident.h"

/* The allowed bytes, one flag each. */
#define R10(c) c, c, c, c, c, c, c, c, c, c
static const unsigned char allowed[256] = {
	['-'] = 1, ['.'] = 1, ['0'] = R10(1), ['A'] = R10(1), R10(1), 1, 1, 1, 1, 1,
	1,	   ['_'] = 1, ['a'] = R10(1), R10(1),	      1,      1, 1, 1, 1, 1,
};
#undef R10

/* One table look-up a byte. */
int
ident_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned ok = 1;
	size_t i;

	if (n == 0 || n > IDENT_MAX || s[0] == '.')
		return 0;
	for (i = 0; i < n; i++)
		ok &= allowed[p[i]];
	return (int)ok;
}
