/*
 * ctl.h — casetermctl, the operator's command: one ctl-<name>.c per group
 * of commands, each an entry in the table in casetermctl.c.
 */
#ifndef CT_CTL_H
#define CT_CTL_H

#include "caseterm.h"

struct ctl {
	const struct config	*cfg;
	struct db		*db;	/* admin connection */
};

/* ctl-migrate.c */
int	 ctl_migrate(struct ctl *, int, char **);

/* ctl-demo.c */
int	 ctl_demo(struct ctl *, int, char **);

/* ctl-user.c */
int	 ctl_useradd(struct ctl *, int, char **);
int	 ctl_passwd(struct ctl *, int, char **);
int	 ctl_user_upsert(struct ctl *, const char *login, const char *name,
	    const char *unit_code, const char *roles, const char *locale,
	    const char *password);
char	*ctl_read_password(const char *prompt);

/* ctl-session.c */
int	 ctl_kill(struct ctl *, int, char **);
int	 ctl_unlock(struct ctl *, int, char **);

/* ctl-calendar.c */
int	 ctl_calendar(struct ctl *, int, char **);
int	 ctl_demo_lifecycle(struct ctl *);

/* ctl-knowledge.c */
int	 ctl_demo_knowledge(struct ctl *);

/* ctl-admin.c */
int	 ctl_user(struct ctl *, int, char **);
int	 ctl_unit(struct ctl *, int, char **);
int	 ctl_codes(struct ctl *, int, char **);
int	 ctl_sessions(struct ctl *, int, char **);
void	 ctl_admin_session(struct ctl *);
PGresult *ctl_run(struct ctl *, const char *sql, int n, const char *const *p);

/* ctl-audit.c */
int	 ctl_audit(struct ctl *, int, char **);

/* casetermctl.c */
PGresult *ctl_exec(struct ctl *, const char *sql, int n, const char *const *p);

#endif
