/*
 * server-hostkey.c — the server's Ed25519 host key: made on first start
 * (owner-only permissions), loaded afterwards, and its SHA256 fingerprint
 * printed so clerks can check it on first login.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server.h"

ssh_key
hostkey_load(const char *path, char **cause)
{
	ssh_key		 key = NULL;
	mode_t		 old;
	int		 rc;

	*cause = NULL;
	if (access(path, F_OK) != 0) {
		if (errno != ENOENT) {
			xasprintf(cause, "%s: %s", path, strerror(errno));
			return NULL;
		}
		if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK) {
			xasprintf(cause, "cannot generate an Ed25519 key");
			return NULL;
		}
		old = umask(077);
		rc = ssh_pki_export_privkey_file(key, NULL, NULL, NULL, path);
		umask(old);
		if (rc != SSH_OK) {
			xasprintf(cause, "%s: cannot write the host key", path);
			ssh_key_free(key);
			return NULL;
		}
		log_info("created host key %s", path);
		return key;
	}
	if (ssh_pki_import_privkey_file(path, NULL, NULL, NULL, &key) != SSH_OK) {
		xasprintf(cause, "%s: not a readable private key", path);
		return NULL;
	}
	return key;
}

char *
hostkey_fingerprint(ssh_key key)
{
	unsigned char	*hash = NULL;
	size_t		 len;
	char		*fp, *ret;

	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash,
	    &len) != SSH_OK)
		return xstrdup("?");
	fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len);
	ret = xstrdup(fp != NULL ? fp : "?");
	ssh_string_free_char(fp);
	ssh_clean_pubkey_hash(&hash);
	return ret;
}
