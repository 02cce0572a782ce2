#!/bin/sh
# The image's entrypoint. etcd's images are run as `etcd FLAGS` or `/usr/local/bin/etcd FLAGS`; ActorStore's also
# with FLAGS alone. Anything else (etcdctl, a shell, actorstore-make-certs) runs as given.
set -e
case "${1:-}" in
    etcd | */etcd | actorstore | */actorstore) shift; exec actorstore "$@" ;;
    '' | -*) exec actorstore "$@" ;;
    *) exec "$@" ;;
esac
