/*
 * log.c — one line per event on stderr or syslog.  Every line carries the
 * prefix set by log_set_prefix() (the session id and user in casetermd), so
 * that the lines of one clerk's session can be found again.  Nothing that a
 * user typed reaches a log unescaped (log_safe), and no password ever does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "caseterm.h"

static const char	*log_progname = "caseterm";
static enum log_level	 log_level = LL_INFO;
static bool		 log_to_syslog;
static char		 log_prefix[128];

static const char *const log_names[] = {
	"error", "warning", "info", "verbose", "debug"
};

void
log_init(const char *progname, enum log_level level, bool use_syslog)
{
	log_progname = progname;
	log_level = level;
	if (use_syslog && !log_to_syslog)
		openlog(progname, LOG_PID, LOG_AUTHPRIV);
	log_to_syslog = use_syslog;
}

int
log_parse_level(const char *s, enum log_level *level)
{
	size_t	 i;

	for (i = 0; i < sizeof log_names / sizeof log_names[0]; i++) {
		if (strcmp(s, log_names[i]) == 0) {
			*level = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

void
log_set_prefix(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(log_prefix, sizeof log_prefix, fmt, ap);
	va_end(ap);
}

/* Copy s into buf with control characters and quotes escaped. */
char *
log_safe(const char *s, char *buf, size_t len)
{
	size_t	 o = 0;

	if (s == NULL)
		s = "(null)";
	for (; *s != '\0' && o + 5 < len; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

static void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	static const int prio[] = {
		LOG_ERR, LOG_WARNING, LOG_INFO, LOG_INFO, LOG_DEBUG
	};
	char		 msg[1024], stamp[32];
	struct tm	 tm;
	time_t		 now;

	if (level > log_level)
		return;
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (log_to_syslog) {
		syslog(prio[level], "%s%s%s", log_prefix,
		    log_prefix[0] != '\0' ? ": " : "", msg);
		return;
	}
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s %s[%ld]: %s%s%s%s%s\n", stamp, log_progname,
	    (long)getpid(), level <= LL_WARN ? log_names[level] : "",
	    level <= LL_WARN ? ": " : "", log_prefix,
	    log_prefix[0] != '\0' ? ": " : "", msg);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(LL_ERROR, fmt, ap);
	va_end(ap);
	exit(255);
}
