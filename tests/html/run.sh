#!/bin/sh
# report.html (docs/wedge.md) in a real browser: Debian's chromium, headless,
# dumps the demo's DOM after its script ran and takes a screenshot; the
# verdict, every root and every wedged thread must be in the page, the
# script must run without an error (window.onerror writes #js-error) and
# sort, filter and open the key table (#selftest), and the page must load
# in under 2 s.  Names from the traces are escaped (hostile symbols); the
# page is self-contained; a large pair's page stays small.  Without
# chromium the browser checks are skipped with a SKIP line (never passed).
#   sh tests/html/run.sh BUILD_DIR
#   WEDGE_SCREENSHOT=FILE  also copy the demo's screenshot to FILE
#   WEDGE_SWEEP=1          also a 1-million-event pair and a many-key pair
SUITE=html
. "$(dirname "$0")/../e2e/lib.sh"
D="$(cd "$(dirname "$0")" && pwd)"

CHROME=$(command -v chromium || command -v chromium-browser || true)
# browser ARGS... URL: headless chromium with its own profile, 30 s at most
browser() {
    _b_prof=$(mktemp -d "$T/prof-XXXXXX")
    _b_sandbox=
    [ "$(id -u)" -eq 0 ] && _b_sandbox=--no-sandbox
    timeout 30 "$CHROME" --headless $_b_sandbox --disable-gpu --no-first-run \
        --disable-extensions --user-data-dir="$_b_prof" --hide-scrollbars \
        --allow-file-access-from-files "$@" 2>>"$T/chrome.err"
}
# size FILE: its bytes
size() { wc -c <"$1" | tr -d ' '; }

# --- the demo writes it -----------------------------------------------------
"$W" demo -o "$T/demo" >"$T/demo.out" 2>"$T/demo.err"
eq "demo -o: exit" $? 0
P=$T/demo/report.html
if [ -s "$P" ]; then ok; else bad "demo -o wrote no report.html"; fi
for f in report.md report.json timeline.json; do
    [ -s "$T/demo/$f" ] || bad "demo -o wrote no $f"
done
# self-contained: nothing fetched from anywhere (the SVG namespace is a name)
hits=$(grep -oE '(src|href)="[a-z]+:[^"]{0,40}|<link|@import|url\(http' "$P" |
    grep -v '^src="data:image/svg+xml;base64' | head -n 3)
eq "no external resource" "$hits" ""
n=$(grep -o 'http' "$P" | wc -l)
n2=$(grep -o 'http://www.w3.org/2000/svg' "$P" | wc -l)
eq "the only URLs are the SVG namespace" "$n" "$n2"
# waitgraph.svg embedded when Graphviz drew it, else the page says it is absent
if command -v dot >/dev/null 2>&1; then
    contains "the page embeds waitgraph.svg" "$P" '<img class="graph" alt="wait-for graph" src="data:image/svg+xml;base64,'
else
    contains "the page says the graph is absent" "$P" 'id="nosvg"'
fi
# --html FILE writes the same page
status "--html" 0 "$W" report "$(sed -n '1s/.* into \(.*\)$/\1/p' "$T/demo.out")/ref.jsonl" \
    "$(sed -n '1s/.* into \(.*\)$/\1/p' "$T/demo.out")/cand.jsonl" --html "$T/one.html"
contains "--html FILE: a page" "$T/one.html" '<section id="verdict"'

# --- hostile names: symbols and engine names are escaped -------------------
"$W" simulate skipped-producer -o "$T/h" -q --seconds 1 || bad "simulate hostile"
sed -e 's#cache_thread#<script>alert(1)</script>#' \
    -e 's#worker_thread#"><img/src=x/onerror=alert(2)>#' "$T/h/symbols.txt" >"$T/h/evil.txt"
status "hostile: report" 0 "$W" report "$T/h/ref.jsonl" "$T/h/cand.jsonl" --symbols "$T/h/evil.txt" \
    --ref-name '<i>ref</i>' --cand-name "c'&\"" --html "$T/evil.html"
H=$T/evil.html
eq "hostile: no raw script" "$(grep -c '<script>alert' "$H")" 0
eq "hostile: no raw img" "$(grep -c '<img/src' "$H")" 0
contains "hostile: the name is escaped" "$H" '&lt;script&gt;alert(1)&lt;/script&gt;'
contains "hostile: the quote is escaped" "$H" '&quot;&gt;&lt;img/src=x/onerror=alert(2)&gt;'
contains "hostile: the engine name is escaped" "$H" '&lt;i&gt;ref&lt;/i&gt;'

# --- a large pair: the page stays small --------------------------------------
"$W" simulate two-faults --events 100000 -o "$T/big" -q || bad "simulate big"
status "big: report" 0 "$W" report "$T/big/ref.jsonl" "$T/big/cand.jsonl" --html "$T/big.html"
s=$(size "$T/big.html")
if [ "$s" -lt 2000000 ]; then ok; else bad "big: report.html is $s bytes"; fi
echo "html: a 100000-event pair's page: $s bytes"

# --- in the browser ------------------------------------------------------------
# the page is the same bytes from every build: the sanitizer build checks
# the C that writes it (above), the plain build the page in the browser
case $BUILD in *asan*)
    echo "html: the browser checks run with the plain build (the page does not depend on the build)"
    finish
    exit $? ;;
esac
if [ -z "$CHROME" ]; then
    echo "SKIP: html: chromium is not installed (scripts/install-deps.sh installs it):" \
        "the browser checks did not run"
    finish
    exit $?
fi
browser --virtual-time-budget=5000 --dump-dom "file://$P#selftest" >"$T/dom.html" &
browser --window-size=1280,1600 --screenshot="$T/report.png" "file://$P" >/dev/null &
browser --virtual-time-budget=5000 --dump-dom "file://$H" >"$T/evil-dom.html" &
wait
DOM=$T/dom.html
contains "the script ran" "$DOM" 'data-ready="1"'
eq "no script error" "$(grep -c 'id="js-error"' "$DOM")" 0
contains "selftest: sorted, opened, filtered" "$DOM" 'data-selftest="desc:true open:true missing-shown:2"'
# the verdict: report.json's outcome at the top
o=$(jq -r .outcome "$T/demo/report.json")
contains "the verdict" "$DOM" "outcome <span class=\"big\">$o</span>"
# every root, in order, with its kind
jq -r '.root_causes | to_entries[] | "\(.key + 1) \(.value.kind)"' "$T/demo/report.json" >"$T/roots"
[ -s "$T/roots" ] || bad "the demo has no roots"
while read -r i kind; do
    contains "root $i" "$DOM" "id=\"root-$i\""
    grep -A2 "id=\"root-$i\"" "$DOM" | grep -qF "<code class=\"kind\">$kind</code>" || bad "root $i is not $kind"
done <"$T/roots"
# each root's evidence, in report.md's words
eq "an evidence per root" "$(grep -o 'class="evidence"' "$DOM" | wc -l | tr -d ' ')" "$(wc -l <"$T/roots" | tr -d ' ')"
# every wedged thread, in the thread table and drawn in a timeline or a ladder
jq -r '.wedged[] | select(.engine == "cand") | .tid' "$T/demo/report.json" >"$T/wedged"
[ -s "$T/wedged" ] || bad "the demo has no wedged threads"
while read -r tid; do
    grep -qE "<tr class=\"ts-wedged[^\"]*\" data-e=\"cand\" data-tid=\"$tid\"" "$DOM" || bad "wedged $tid not in the thread table"
    grep -qE "<text [^>]*class=\"l1\">[^<]* $tid</text>|class=\"c\">[^<]* $tid</span>" "$DOM" || bad "wedged $tid not drawn"
done <"$T/wedged"
# load_ms FILE: the data-load-ms the page wrote (parsing, script, layout)
load_ms() { sed -n 's/.*data-load-ms="\([0-9]*\)".*/\1/p' "$1" | head -n 1; }
ms=$(load_ms "$DOM")
# on a machine busy with other suites, the better of two loads
if [ -z "$ms" ] || [ "$ms" -ge 2000 ]; then
    browser --dump-dom "file://$P" >"$T/dom2.html"
    ms2=$(load_ms "$T/dom2.html")
    echo "html: loaded in '$ms' ms, again in '$ms2' ms"
    [ -n "$ms2" ] && { [ -z "$ms" ] || [ "$ms2" -lt "$ms" ]; } && ms=$ms2
fi
if [ -n "$ms" ] && [ "$ms" -lt 2000 ]; then ok; else bad "the demo's page loads in '$ms' ms"; fi
echo "html: the demo's page: $(size "$P") bytes, loaded in $ms ms"
# the screenshot
if [ -s "$T/report.png" ] && [ "$(head -c 4 "$T/report.png" | tail -c 3)" = PNG ]; then ok; else
    bad "no screenshot"; fi
[ -n "${WEDGE_SCREENSHOT:-}" ] && cp "$T/report.png" "$WEDGE_SCREENSHOT"
# hostile names: nothing injected, nothing ran
ED=$T/evil-dom.html
contains "hostile: the script ran" "$ED" 'data-ready="1"'
eq "hostile: no script error" "$(grep -c 'id="js-error"' "$ED")" 0
eq "hostile: only the page's two scripts" "$(grep -o '<script' "$ED" | wc -l | tr -d ' ')" 2
eq "hostile: no img element but the graph's" \
    "$(grep -o '<img[^>]*>' "$ED" | grep -vc '^<img class="graph" alt="wait-for graph" src="data:image/svg+xml;base64,')" 0

# --- make test-long: a million events, many keys ----------------------------
if [ "${WEDGE_SWEEP:-0}" = 1 ]; then
    "$W" simulate two-faults --events 1000000 -o "$T/huge" -q || bad "simulate huge"
    ln -s huge/ref.jsonl "$T/huge.ref"
    status "huge: report" 0 "$W" report "$T/huge/ref.jsonl" "$T/huge/cand.jsonl" --html "$T/huge.html"
    # many threads and keys: each of 600 threads fires its own sites
    awk 'BEGIN { print "{\"wedge_trace\":1}"; t = 0
        for (i = 0; i < 1000000; i++) { tid = i % 600 + 1; site = 2181038080 + (i % 6000) * 4
            printf "{\"t\":%d,\"tid\":%d,\"op\":\"KeSetEvent\",\"lr\":\"0x%08X\",\"obj\":\"0x%08X\"}\n", t += 10, tid, site, 4096 + tid } }' >"$T/many.ref"
    awk 'NR == 1 || NR % 3 != 0' "$T/many.ref" >"$T/many.cand"
    status "many keys: report" 0 "$W" report "$T/many.ref" "$T/many.cand" --html "$T/many.html"
    for f in huge many; do
        s=$(size "$T/$f.html")
        if [ "$s" -lt 10000000 ]; then ok; else bad "$f: report.html is $s bytes"; fi
        echo "html: $f ($(wc -l <"$T/$f.ref" 2>/dev/null || echo 1000000) reference events): $s bytes"
        browser --virtual-time-budget=10000 --dump-dom "file://$T/$f.html" >"$T/$f-dom.html"
        contains "$f: the script ran" "$T/$f-dom.html" 'data-ready="1"'
        ms=$(load_ms "$T/$f-dom.html")
        echo "html: $f loaded in $ms ms"
        if [ -n "$ms" ] && [ "$ms" -lt 10000 ]; then ok; else bad "$f: loads in '$ms' ms"; fi
    done
fi
finish
