/*
 * idcard.c — resident ID numbers (GB 11643-1999) and mobile numbers.
 *
 * An ID number has 17 digits and a check digit: the sum of each digit times
 * its weight, mod 11, indexes "10X98765432".  Digits 7-14 are the birth date
 * and digit 17 is odd for a man.  The database checks the same rules
 * (idcard_valid()); this copy lets the form say what is wrong at once.
 */
#include <ctype.h>
#include <string.h>
#include <time.h>

#include "caseterm.h"

static const int idcard_weights[17] = {
	7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
};

char
idcard_check_digit(const char *first17)
{
	int	 i, sum = 0;

	for (i = 0; i < 17; i++)
		sum += (first17[i] - '0') * idcard_weights[i];
	return "10X98765432"[sum % 11];
}

static bool
idcard_date_valid(int y, int m, int d)
{
	static const int mdays[] = { 31,28,31,30,31,30,31,31,30,31,30,31 };
	struct tm	 tm;
	time_t		 now = time(NULL);
	int		 max;

	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return false;
	max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	if (d > max)
		return false;
	localtime_r(&now, &tm);
	return (y * 10000 + m * 100 + d) <=
	    ((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
}

/* 0 when s is a valid ID number (info filled in if not NULL), else -1 and
 * *cause says why in words for the clerk (an untranslated msgid). */
int
idcard_check(const char *s, struct idcard_info *info, const char **cause)
{
	int	 i, y, m, d;
	char	 last;

	if (strlen(s) != 18) {
		*cause = N_("ID number must have 18 characters");
		return -1;
	}
	for (i = 0; i < 17; i++) {
		if (!isdigit((unsigned char)s[i])) {
			*cause = N_("ID number must be 17 digits and a check digit");
			return -1;
		}
	}
	last = (char)toupper((unsigned char)s[17]);
	if (!isdigit((unsigned char)last) && last != 'X') {
		*cause = N_("ID number must be 17 digits and a check digit");
		return -1;
	}
	y = (s[6]-'0')*1000 + (s[7]-'0')*100 + (s[8]-'0')*10 + (s[9]-'0');
	m = (s[10]-'0')*10 + (s[11]-'0');
	d = (s[12]-'0')*10 + (s[13]-'0');
	if (!idcard_date_valid(y, m, d)) {
		*cause = N_("ID number has an impossible birth date");
		return -1;
	}
	if (idcard_check_digit(s) != last) {
		*cause = N_("ID number check digit is wrong");
		return -1;
	}
	if (info != NULL) {
		info->year = y;
		info->month = m;
		info->day = d;
		info->female = (s[16] - '0') % 2 == 0;
	}
	return 0;
}

/* Accepts "13912345678", "+86 139-1234-5678" and the like; writes the 11
 * digits to out.  0 on success, else -1 with *cause. */
int
mobile_normalize(const char *s, char out[12], const char **cause)
{
	char	 digits[32];
	size_t	 n = 0;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '-')
			continue;
		if (*s == '+' && n == 0 && s[1] == '8' && s[2] == '6') {
			s += 2;
			continue;
		}
		if (!isdigit((unsigned char)*s) || n + 1 >= sizeof digits) {
			*cause = N_("mobile number must be 11 digits starting with 1");
			return -1;
		}
		digits[n++] = *s;
	}
	digits[n] = '\0';
	if (n != 11 || digits[0] != '1' || digits[1] < '3') {
		*cause = N_("mobile number must be 11 digits starting with 1");
		return -1;
	}
	memcpy(out, digits, 12);
	return 0;
}
