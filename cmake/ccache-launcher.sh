#!/bin/sh
# Compiler launcher set by the top-level CMakeLists.txt when ccache is installed:
#   ccache-launcher.sh CCACHE SLOPPINESS COMPILER ARGS...
# It runs the compile through ccache with the settings that make precompiled headers cacheable
# (see "Build reuse" in docs/performance.md):
#   sloppiness          pch_defines,time_macros (what ccache requires for PCHs) and the user's own;
#   depend mode         ccache takes the headers from the compiler's -MD output instead of running
#                       the preprocessor first, which costs half a compile per miss with a PCH;
#   pch_external_checksum
#                       ccache hashes FILE.gch.sum instead of the PCH itself (280 MB in a Debug
#                       build: hashing it took seconds per compile, on every hit and miss).
# This script writes that .sum after each PCH compile (ccache's checksum of the new .gch), and
# deletes a .sum older than its .gch (a PCH built without this launcher), so that a stale
# checksum can never stand for a changed PCH: ccache then hashes the .gch itself.
ccache=$1
CCACHE_SLOPPINESS=$2
CCACHE_DEPEND=true
CCACHE_PCH_EXTSUM=true
export CCACHE_SLOPPINESS CCACHE_DEPEND CCACHE_PCH_EXTSUM
shift 2

out=
prev=
for arg do
  case $prev in
    -o) out=$arg ;;
    -include)
      if [ -f "$arg.gch.sum" ] && [ "$arg.gch.sum" -ot "$arg.gch" ]; then
        rm -f "$arg.gch.sum"
      fi
      ;;
  esac
  prev=$arg
done

case $out in
  *.gch)
    # The old PCH goes first: ccache would otherwise hash it into the new one's key (the compile
    # names it with -include), so an edit undone would not find the PCH built before the edit.
    rm -f "$out" "$out.sum"
    "$ccache" "$@" || exit
    if "$ccache" --checksum-file "$out" >"$out.sum.tmp" 2>/dev/null; then
      mv -f "$out.sum.tmp" "$out.sum"
    else
      rm -f "$out.sum.tmp"
    fi
    ;;
  *)
    exec "$ccache" "$@"
    ;;
esac
