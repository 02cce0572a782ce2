#!/usr/bin/env bash
# The release build: one self-contained `actorstore` file (no .NET runtime needed on the target) that runs when
# copied alone to /usr/local/bin, under its own name or as `etcd`.
#
#   scripts/publish-release.sh [RID] [OUTPUT_DIR]    RID: linux-x64 (default) or linux-arm64
#
# The file lands in OUTPUT_DIR (default artifacts/release/RID). ReadyToRun code is compiled in so the member starts
# without JIT-compiling its start-up path (per assembly: a composite image would recompile the whole framework, which
# ships precompiled already, for many minutes of build; the framework joins the program's version bubble instead, see
# src/ActorStore/ActorStore.csproj); native libraries (SQLite) travel inside the file and are unpacked once,
# under $DOTNET_BUNDLE_EXTRACT_BASE_DIR (default $HOME/.net). Extra arguments after OUTPUT_DIR go to dotnet publish.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rid="${1:-linux-x64}"
out="${2:-$repo/artifacts/release/$rid}"
shift $(( $# > 2 ? 2 : $# ))

dotnet publish "$repo/src/ActorStore/ActorStore.csproj" -c Release -r "$rid" --self-contained \
    -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:PublishReadyToRun=true \
    -p:PublishReadyToRunComposite=false -p:DebugType=none -o "$out" "$@"
echo "$out/actorstore"
