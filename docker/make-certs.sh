#!/bin/sh
# The one-shot certificate service of docker-compose.yml: on first start, `actorstore certs` makes a CA, one
# certificate per member (server and client use, named after the member and reachable as the member's host name,
# localhost and 127.0.0.1) and one client certificate, in $CERTS_DIR. Later starts find the CA and keep everything.
#   CERTS_DIR    where the files go (a volume shared with the members)
#   MEMBERS      member names, which are also their host names: "s1 s2 s3"
#   CLIENT_USER  the common name of the client certificate (the etcd user): "root"
set -e
dir="${CERTS_DIR:?}"
if [ -f "$dir/ca.pem" ]; then
    echo "certificates kept in $dir"
    exit 0
fi
# Made aside and moved in with ca.pem last, so a start cut short leaves no half-made set that later starts would keep.
work="$dir/.making"
rm -rf "$work"
mkdir -p "$work"
actorstore certs --dir "$work" --ca
for member in ${MEMBERS:?}; do
    actorstore certs --dir "$work" --member "$member" --hosts "$member,localhost,127.0.0.1"
done
actorstore certs --dir "$work" --client "${CLIENT_USER:?}"
for file in "$work"/*; do
    [ "$file" = "$work/ca.pem" ] || mv "$file" "$dir/"
done
mv "$work/ca.pem" "$dir/ca.pem"
rmdir "$work"
echo "certificates made in $dir"
