/*
 * form-load.c — reads a form definition (forms/NAME.conf, libconfig syntax;
 * forms/README documents it) into a struct form_def, and checks values
 * typed into its fields.  Every mistake in a form file is reported as
 * "file:line: what is wrong"; casetermd -t and the server start check every
 * form, so a broken one never reaches a clerk.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "form.h"

const struct code_name role_names[] = {
	{ "intake",	N_("Intake clerk"),	ROLE_INTAKE },
	{ "dispatcher",	N_("Dispatcher"),	ROLE_DISPATCHER },
	{ "handler",	N_("Handler"),		ROLE_HANDLER },
	{ "supervisor",	N_("Supervisor"),	ROLE_SUPERVISOR },
	{ "followup",	N_("Follow-up clerk"),	ROLE_FOLLOWUP },
	{ "analyst",	N_("Analyst"),		ROLE_ANALYST },
	{ "admin",	N_("Administrator"),	ROLE_ADMIN },
	{ NULL, NULL, 0 }
};
const struct code_name level_names[] = {
	{ "city",	N_("City"),		LEVEL_CITY },
	{ "district",	N_("District"),		LEVEL_DISTRICT },
	{ "town",	N_("Town"),		LEVEL_TOWN },
	{ "village",	N_("Village"),		LEVEL_VILLAGE },
	{ "grid",	N_("Grid"),		LEVEL_GRID },
	{ NULL, NULL, 0 }
};

static const struct code_name field_types[] = {
	{ "text", NULL, FT_TEXT },
	{ "mobile", NULL, FT_MOBILE },
	{ "idcard", NULL, FT_IDCARD },
	{ NULL, NULL, 0 }
};

unsigned
code_bit(const struct code_name *t, const char *code)
{
	for (; t->code != NULL; t++)
		if (strcmp(t->code, code) == 0)
			return t->bit;
	return 0;
}

const char *
code_label(const struct code_name *t, const char *code)
{
	for (; t->code != NULL; t++)
		if (strcmp(t->code, code) == 0)
			return t->label;
	return code;
}

/* "file:line: message" into *cause; always -1.  Shared with menu-load.c. */
int
form_error(char **cause, const char *file, config_setting_t *s,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvasprintf_str(fmt, ap);
	va_end(ap);
	xasprintf(cause, "%s:%d: %s", file,
	    s != NULL ? config_setting_source_line(s) : 0, msg);
	free(msg);
	return -1;
}

/* Every member of group s must be named in allowed. */
int
form_check_keys(config_setting_t *s, const char *const *allowed,
    const char *file, char **cause)
{
	config_setting_t	*c;
	const char *const	*a;
	int			 i;

	for (i = 0; (c = config_setting_get_elem(s, (unsigned)i)) != NULL; i++) {
		for (a = allowed; *a != NULL; a++)
			if (strcmp(*a, config_setting_name(c)) == 0)
				break;
		if (*a == NULL)
			return form_error(cause, file, c, "unknown setting '%s'",
			    config_setting_name(c));
	}
	return 0;
}

static int
form_string(config_setting_t *s, const char *name, bool required,
    char **out, const char *file, char **cause)
{
	config_setting_t	*c = config_setting_get_member(s, name);
	const char		*v;

	*out = NULL;
	if (c == NULL) {
		if (required)
			return form_error(cause, file, s, "missing '%s'", name);
		return 0;
	}
	if ((v = config_setting_get_string(c)) == NULL)
		return form_error(cause, file, c, "'%s' must be a string", name);
	if (required && *v == '\0')
		return form_error(cause, file, c, "'%s' must not be empty", name);
	*out = xstrdup(v);
	return 0;
}

static int
form_int(config_setting_t *s, const char *name, int def, int lo, int hi,
    int *out, const char *file, char **cause)
{
	config_setting_t	*c = config_setting_get_member(s, name);

	*out = def;
	if (c == NULL)
		return 0;
	if (config_setting_type(c) != CONFIG_TYPE_INT)
		return form_error(cause, file, c, "'%s' must be a number", name);
	*out = config_setting_get_int(c);
	if (*out < lo || *out > hi)
		return form_error(cause, file, c, "'%s' is out of range", name);
	return 0;
}

static int
form_field(config_setting_t *s, struct field_def *f, const char *file,
    char **cause)
{
	static const char *const keys[] = { "name", "label", "type", "width",
	    "max_length", "required", "default", "help", NULL };
	config_setting_t	*c;
	char			*type = NULL;
	int			 n;

	if (!config_setting_is_group(s))
		return form_error(cause, file, s, "%s", "a field must be a group "
		    "{ name = ...; label = ...; type = ...; }");
	if (form_check_keys(s, keys, file, cause) != 0 ||
	    form_string(s, "name", true, &f->name, file, cause) != 0 ||
	    form_string(s, "label", true, &f->label, file, cause) != 0 ||
	    form_string(s, "help", false, &f->help, file, cause) != 0 ||
	    form_string(s, "default", false, &f->def, file, cause) != 0 ||
	    form_string(s, "type", true, &type, file, cause) != 0)
		goto fail;
	if ((n = (int)code_bit(field_types, type)) == 0 &&
	    strcmp(type, "text") != 0) {
		form_error(cause, file, config_setting_get_member(s, "type"),
		    "unknown field type '%s'", type);
		goto fail;
	}
	f->type = (enum field_type)n;
	free(type);
	type = NULL;
	if (form_int(s, "width", 20, 1, 200, &f->width, file, cause) != 0 ||
	    form_int(s, "max_length", 100, 1, 10000, &f->max_length, file,
	    cause) != 0)
		goto fail;
	if ((c = config_setting_get_member(s, "required")) != NULL) {
		if (config_setting_type(c) != CONFIG_TYPE_BOOL) {
			form_error(cause, file, c, "%s",
			    "'required' must be true or false");
			goto fail;
		}
		f->required = config_setting_get_bool(c);
	}
	return 0;
fail:
	free(type);
	return -1;
}

struct form_def *
form_load(const char *path, char **cause)
{
	static const char *const keys[] = { "name", "title", "fields", NULL };
	config_t		 lc;
	config_setting_t	*form, *fields;
	struct form_def		*fd;
	size_t			 i, j;

	*cause = NULL;
	fd = xcalloc(1, sizeof *fd);
	config_init(&lc);
	if (config_read_file(&lc, path) != CONFIG_TRUE) {
		xasprintf(cause, "%s:%d: %s", path, config_error_line(&lc),
		    config_error_text(&lc));
		goto fail;
	}
	if ((form = config_lookup(&lc, "form")) == NULL ||
	    !config_setting_is_group(form)) {
		form_error(cause, path, form, "%s", "missing 'form = { ... };'");
		goto fail;
	}
	if (form_check_keys(form, keys, path, cause) != 0 ||
	    form_string(form, "name", true, &fd->name, path, cause) != 0 ||
	    form_string(form, "title", true, &fd->title, path, cause) != 0)
		goto fail;
	fields = config_setting_get_member(form, "fields");
	if (fields == NULL || !config_setting_is_list(fields) ||
	    config_setting_length(fields) == 0) {
		form_error(cause, path, fields != NULL ? fields : form, "%s",
		    "'fields' must be a non-empty list ( { ... }, ... )");
		goto fail;
	}
	fd->nfields = (size_t)config_setting_length(fields);
	fd->fields = xcalloc(fd->nfields, sizeof *fd->fields);
	for (i = 0; i < fd->nfields; i++) {
		config_setting_t *s = config_setting_get_elem(fields, (unsigned)i);
		if (form_field(s, &fd->fields[i], path, cause) != 0)
			goto fail;
		for (j = 0; j < i; j++) {
			if (strcmp(fd->fields[j].name, fd->fields[i].name) == 0) {
				form_error(cause, path, s, "field '%s' is "
				    "defined twice", fd->fields[i].name);
				goto fail;
			}
		}
	}
	config_destroy(&lc);
	return fd;
fail:
	config_destroy(&lc);
	form_def_free(fd);
	return NULL;
}

void
form_def_free(struct form_def *fd)
{
	size_t	 i;

	if (fd == NULL)
		return;
	for (i = 0; i < fd->nfields; i++) {
		free(fd->fields[i].name);
		free(fd->fields[i].label);
		free(fd->fields[i].help);
		free(fd->fields[i].def);
	}
	free(fd->fields);
	free(fd->name);
	free(fd->title);
	free(fd);
}

/* Load every .conf file in the forms folder; menus.conf is a menu, the others are forms. */
int
forms_check(const char *dir, char **cause)
{
	struct dirent	**names;
	char		 *path;
	int		  i, n, ret = 0;
	size_t		  len;

	*cause = NULL;
	if ((n = scandir(dir, &names, NULL, alphasort)) < 0) {
		xasprintf(cause, "%s: cannot read the forms folder", dir);
		return -1;
	}
	for (i = 0; i < n; i++) {
		len = strlen(names[i]->d_name);
		if (ret == 0 && len > 5 &&
		    strcmp(names[i]->d_name + len - 5, ".conf") == 0) {
			xasprintf(&path, "%s/%s", dir, names[i]->d_name);
			if (strcmp(names[i]->d_name, "menus.conf") == 0) {
				struct menu_def *m = menu_load(path, cause);
				ret = m == NULL ? -1 : 0;
				menu_def_free(m);
			} else {
				struct form_def *f = form_load(path, cause);
				ret = f == NULL ? -1 : 0;
				form_def_free(f);
			}
			free(path);
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

/* NULL when value is acceptable for f, else a msgid saying why not. */
const char *
field_validate(const struct field_def *f, const char *value)
{
	const char	*cause = NULL;
	char		 mobile[12];
	wchar_t		*w;
	size_t		 n;

	if (*value == '\0')
		return f->required ? N_("this field is required") : NULL;
	w = wcs_from_utf8(value);
	n = wcslen(w);
	free(w);
	if ((int)n > f->max_length)
		return N_("too long");
	switch (f->type) {
	case FT_TEXT:
		break;
	case FT_MOBILE:
		if (mobile_normalize(value, mobile, &cause) != 0)
			return cause;
		break;
	case FT_IDCARD:
		if (idcard_check(value, NULL, &cause) != 0)
			return cause;
		break;
	}
	return NULL;
}
