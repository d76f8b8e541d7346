/*
 * passwd.c — password hashes with crypt(3) (libxcrypt, yescrypt "$y$").
 * A password never leaves these functions except as a hash, and the
 * caller's copy is wiped with passwd_burn() as soon as it is used.
 */
#include <crypt.h>
#include <stdlib.h>
#include <string.h>

#include "caseterm.h"

char *
passwd_hash(const char *password)
{
	struct crypt_data	*cd;
	char			*salt, *h, *ret = NULL;

	salt = crypt_gensalt_ra("$y$", 0, NULL, 0);
	if (salt == NULL)
		return NULL;
	cd = xcalloc(1, sizeof *cd);
	h = crypt_r(password, salt, cd);
	if (h != NULL && h[0] != '*')
		ret = xstrdup(h);
	explicit_bzero(cd, sizeof *cd);
	free(cd);
	free(salt);
	return ret;
}

/* Constant-time comparison of the fresh hash with the stored one.  With a
 * NULL hash a dummy one is computed anyway so that an unknown login takes
 * as long as a wrong password. */
bool
passwd_verify(const char *password, const char *hash)
{
	static const char	 dummy[] =
	    "$y$j9T$Kr5QrZb1yHrkmKnvFmJ8a/$y0Zb6I2D5.ePrCXhvqA9p2pX0k5WkB0mH2HuWYA0D56";
	struct crypt_data	*cd;
	const char		*h;
	size_t			 i, n;
	unsigned char		 diff = 0;
	bool			 ok;

	cd = xcalloc(1, sizeof *cd);
	h = crypt_r(password, hash != NULL ? hash : dummy, cd);
	if (h == NULL || h[0] == '*' || hash == NULL) {
		ok = false;
		goto out;
	}
	n = strlen(hash);
	if (strlen(h) != n) {
		ok = false;
		goto out;
	}
	for (i = 0; i < n; i++)
		diff |= (unsigned char)(h[i] ^ hash[i]);
	ok = diff == 0;
out:
	explicit_bzero(cd, sizeof *cd);
	free(cd);
	return ok;
}

void
passwd_burn(char *s, size_t len)
{
	if (s != NULL)
		explicit_bzero(s, len);
}
