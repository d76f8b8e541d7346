#!/bin/sh
# Every user-visible string has a Chinese translation: the template made
# from today's sources against po/zh_CN.po.  TAP output.
cd "${CT_TOP:-.}" || exit 1
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
echo "1..2"
scripts/pot "$tmp"
if msgcmp po/zh_CN.po "$tmp" 2>/tmp/msgcmp.$$; then
	echo "ok 1 - every msgid of the sources is in zh_CN.po"
else
	echo "not ok 1 - msgids missing from zh_CN.po (run make pot, translate)"
	sed 's/^/# /' /tmp/msgcmp.$$
fi
rm -f /tmp/msgcmp.$$
stats=$(msgfmt --check --statistics -o /dev/null po/zh_CN.po 2>&1)
case $stats in
*fuzzy*|*untranslated*|*error*)
	echo "not ok 2 - zh_CN.po is complete ($stats)" ;;
*)	echo "ok 2 - zh_CN.po is complete ($stats)" ;;
esac
