/*
 * form-choice.c — code tables: the entries of a choice, flags, yes/no or
 * org unit field, and how what a clerk types names one of them.  A clerk
 * may type the code, the name, or any part of either that only one entry
 * has (ignoring case); the pick list (picklist.c) filters with the same
 * rule.  Pure logic, tested on its own.
 */
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "form.h"

static const struct choice yesno_v[] = {
	{ "yes", N_("Yes"), 0, NULL },
	{ "no", N_("No"), 0, NULL },
};
const struct choices yesno_choices = { (struct choice *)yesno_v, 2 };

static void
wcs_lower(wchar_t *w)
{
	for (; *w != L'\0'; w++)
		*w = (wchar_t)towlower((wint_t)*w);
}

/* 2: s starts with filter, 1: contains it, 0: neither (case ignored). */
static int
choice_has(const char *s, const wchar_t *filter)
{
	wchar_t	*w = wcs_from_utf8(s);
	wchar_t	*hit;
	int	 r;

	wcs_lower(w);
	hit = wcsstr(w, filter);
	r = hit == NULL ? 0 : hit == w ? 2 : 1;
	free(w);
	return r;
}

/* How well c matches filter: 0 not, 1 a part, 2 a prefix, 3 exactly. */
static int
choice_score(const struct choice *c, const char *filter)
{
	wchar_t	*f = wcs_from_utf8(filter);
	int	 a, b;

	wcs_lower(f);
	if (*f == L'\0') {
		free(f);
		return 1;
	}
	a = choice_has(c->code, f);
	b = choice_has(c->label, f);
	free(f);
	if (strcasecmp(c->code, filter) == 0 || strcmp(c->label, filter) == 0)
		return 3;
	return a > b ? a : b;
}

bool
choice_matches(const struct choice *c, const char *filter)
{
	return choice_score(c, filter) > 0;
}

int
choice_resolve(const struct choices *t, const char *text, size_t *idx)
{
	size_t	 i, best = 0, nbest = 0;
	int	 s, top = 0;

	if (t == NULL || *text == '\0')
		return -1;
	for (i = 0; i < t->n; i++) {
		s = choice_score(&t->v[i], text);
		if (s > top) {
			top = s;
			best = i;
			nbest = 1;
		} else if (s == top && s > 0)
			nbest++;
	}
	if (top == 0)
		return -1;
	if (nbest > 1)
		return 1;
	*idx = best;
	return 0;
}

void
choices_free(struct choices *t)
{
	size_t	 i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].code);
		free(t->v[i].label);
		free(t->v[i].text);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

void
choices_copy(struct choices *dst, const struct choices *src, bool translate)
{
	size_t	 i;

	dst->n = src->n;
	dst->v = xcalloc(src->n + 1, sizeof *dst->v);
	for (i = 0; i < src->n; i++) {
		dst->v[i].code = xstrdup(src->v[i].code);
		dst->v[i].label = xstrdup(translate ? _(src->v[i].label) :
		    src->v[i].label);
		dst->v[i].depth = src->v[i].depth;
		if (src->v[i].text != NULL)
			dst->v[i].text = xstrdup(src->v[i].text);
	}
}
