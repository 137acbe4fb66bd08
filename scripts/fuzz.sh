#!/usr/bin/env bash
# Runs the fuzz targets one after another (one fuzzer at a time: the machine has two cores), each
# for FUZZ_SECONDS (default 60) or, when FUZZ_RUNS is set, for that many executions. Targets are
# the arguments, or all of them. Each run's libFuzzer output is kept in fuzz/logs/<target>.log; a
# table of executions and executions per second follows. A crash stops that target's run (its
# input is in fuzz/artifacts/<target>/) and the script goes on with the next, then fails.
#
#   scripts/fuzz.sh                      # every target, 60 s each
#   FUZZ_SECONDS=600 scripts/fuzz.sh config
#   FUZZ_RUNS=10000000 scripts/fuzz.sh import_esr import_cli
set -uo pipefail
cd "$(dirname "$0")/.."

all=(config configure import_esr import_cli signals_json aws_signals detect evaluate portal plan)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")

# The longest input, the dictionary and the slow-input limit per target. Configuration texts stay
# at 64 KiB (FUZZ_CONFIG_MAX_LEN=1024 keeps clear of the parser's known stack overflow on dotted
# keys thousands deep: see the README's Fuzzing section); configure's three texts at 16 KiB.
options() {
  case "$1" in
    config) echo "-max_len=${FUZZ_CONFIG_MAX_LEN:-65536} -dict=fuzz/dict/toml.dict -timeout=60" ;;
    configure) echo "-max_len=16384 -dict=fuzz/dict/toml.dict -timeout=60" ;;
    import_esr | import_cli) echo "-max_len=16384 -dict=fuzz/dict/ini.dict" ;;
    signals_json | aws_signals) echo "-max_len=8192 -dict=fuzz/dict/json.dict" ;;
    detect) echo "-max_len=2048 -dict=fuzz/dict/url.dict" ;;
    *) echo "-max_len=4096" ;;
  esac
}

if [ -n "${FUZZ_RUNS:-}" ]; then limit="-runs=$FUZZ_RUNS"; else limit="-max_total_time=${FUZZ_SECONDS:-60}"; fi

mkdir -p fuzz/logs
# Built once for every target: debug assertions on, so an overflow is a crash too; no sanitizer,
# since neither redline nor basic-toml has unsafe code and AddressSanitizer halves the speed.
build=(--sanitizer none --debug-assertions)
cargo +nightly fuzz build "${build[@]}" || exit 1
failed=()
summary=()
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  log="fuzz/logs/$target.log"
  echo "fuzz: $target ($limit $(options "$target"))"
  # shellcheck disable=SC2046
  cargo +nightly fuzz run "${build[@]}" "$target" "fuzz/corpus/$target" -- \
    $limit $(options "$target") -print_final_stats=1 >"$log" 2>&1
  status=$?
  runs=$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{print $2}' | tail -1)
  speed=$(grep -E '^stat::average_exec_per_sec:' "$log" | awk '{print $2}' | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 | cut -c1-140)
  if [ $status -ne 0 ] && ! grep -q 'run interrupted' "$log"; then
    failed+=("$target")
    grep -E 'panicked|ERROR: |Test unit written' "$log" | head -5
  fi
  result=ok
  if grep -q 'run interrupted' "$log"; then result=interrupted; elif [ $status -ne 0 ]; then result=CRASH; fi
  summary+=("$(printf '%-13s %12s execs %8s exec/s  %s' "$target" "${runs:-?}" "${speed:-?}" "$result")")
  echo "  $last"
done
printf '\n%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]}: see fuzz/logs/ and fuzz/artifacts/" >&2
  exit 1
fi
