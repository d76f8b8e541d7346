/*
 * wcstr.c — strings measured in terminal columns.  A Chinese character takes
 * two columns, a combining mark none; a string is never cut inside a
 * character.  Conversions assume a UTF-8 LC_CTYPE (every caseterm program
 * makes sure it has one before it draws anything).
 */
#include <stdlib.h>
#include <string.h>

#include "caseterm.h"

wchar_t *
wcs_from_utf8(const char *s)
{
	mbstate_t	 st;
	const char	*p = s;
	wchar_t		*w;
	size_t		 n, len = strlen(s);

	w = xreallocarray(NULL, len + 1, sizeof *w);
	memset(&st, 0, sizeof st);
	n = mbsrtowcs(w, &p, len + 1, &st);
	if (n == (size_t)-1) {
		/* Invalid UTF-8: keep what is valid, replace the rest. */
		size_t	 i = 0, k;
		memset(&st, 0, sizeof st);
		p = s;
		while (*p != '\0') {
			k = mbrtowc(&w[i], p, strlen(p), &st);
			if (k == (size_t)-1 || k == (size_t)-2) {
				w[i++] = L'\xfffd';
				p++;
				memset(&st, 0, sizeof st);
			} else {
				i++;
				p += k;
			}
		}
		w[i] = L'\0';
	}
	return w;
}

char *
utf8_from_wcs(const wchar_t *w, size_t len)
{
	mbstate_t	 st;
	char		*s, *o;
	size_t		 i, k;

	s = o = xmalloc(len * MB_CUR_MAX + 1);
	memset(&st, 0, sizeof st);
	for (i = 0; i < len; i++) {
		k = wcrtomb(o, w[i], &st);
		if (k != (size_t)-1)
			o += k;
	}
	*o = '\0';
	return s;
}

int
wc_cols(wchar_t c)
{
	int	 n = wcwidth(c);

	if (n < 0)		/* unprintable: shown as one cell */
		return 1;
	return n;
}

int
wcs_cols(const wchar_t *w, size_t len)
{
	size_t	 i;
	int	 cols = 0;

	for (i = 0; i < len && w[i] != L'\0'; i++)
		cols += wc_cols(w[i]);
	return cols;
}

int
utf8_cols(const char *s)
{
	wchar_t	*w = wcs_from_utf8(s);
	int	 n = wcs_cols(w, wcslen(w));

	free(w);
	return n;
}

char *
utf8_fit(const char *s, int cols)
{
	wchar_t	*w = wcs_from_utf8(s);
	size_t	 i;
	int	 used = 0;
	char	*r;

	for (i = 0; w[i] != L'\0'; i++) {
		if (used + wc_cols(w[i]) > cols)
			break;
		used += wc_cols(w[i]);
	}
	r = utf8_from_wcs(w, i);
	free(w);
	return r;
}

char *
utf8_pad(const char *s, int cols)
{
	char	*fit = utf8_fit(s, cols), *r;
	int	 pad = cols - utf8_cols(fit);
	size_t	 len = strlen(fit);

	r = xmalloc(len + (size_t)pad + 1);
	memcpy(r, fit, len);
	memset(r + len, ' ', (size_t)pad);
	r[len + (size_t)pad] = '\0';
	free(fit);
	return r;
}
