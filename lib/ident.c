/* ident: identifier check. */
#include "ident.h"

/* Table-free check: the allowed set is small and contiguous in ranges. */
int
ident_valid(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > IDENT_MAX || s[0] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}
