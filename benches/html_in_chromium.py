#!/usr/bin/env python3
"""Times the interactive page in headless Chromium: first paint, and a date change.

Usage (from the repository root, after `cargo build --release`):

    python3 benches/html_in_chromium.py [RUNS]

Writes the Mali page with the release binary, adds a probe script after the page's own, loads
it RUNS times (default 5) in headless Chromium and prints the median first contentful paint
(from navigation start) and the median time of one date change (show a state and force
style and layout, so that the browser has done all the work of the change before the clock
stops; the paint itself follows in the next frame), over every state of the span, forwards
and backwards. Standard library only.
"""

import os
import re
import statistics
import subprocess
import sys
import tempfile

PROBE = """<pre id="probe"></pre><script>
(function () {
  var fcp = performance.getEntriesByType('paint').filter(function (e) { return e.name === 'first-contentful-paint'; });
  var n = window.controlmap.states.length, times = [];
  for (var round = 0; round < 2; round++) {
    for (var i = 0; i < n; i++) {
      var k = round ? n - 1 - i : i;
      var t0 = performance.now();
      window.controlmap.show(k, true);
      document.body.getBoundingClientRect();
      document.querySelector('.cm-wide-map').getBBox();
      times.push(performance.now() - t0);
    }
  }
  times.sort(function (a, b) { return a - b; });
  var out = document.getElementById('probe');
  setTimeout(function () {
    var p = performance.getEntriesByType('paint').filter(function (e) { return e.name === 'first-contentful-paint'; });
    out.textContent = 'fcp ' + (p.length ? p[0].startTime.toFixed(1) : 'none') +
      ' change_median ' + times[times.length >> 1].toFixed(2) +
      ' change_max ' + times[times.length - 1].toFixed(2) + ' states ' + n;
  }, 500);
})();
</script></body>"""


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as d:
        page = os.path.join(d, "mali.html")
        subprocess.run(["target/release/controlmap", "html", "--out", page, "-q"], check=True)
        html = open(page, encoding="utf-8").read().replace("</body>", PROBE)
        probed = os.path.join(d, "probed.html")
        open(probed, "w", encoding="utf-8").write(html)
        fcps, medians, maxes = [], [], []
        for _ in range(runs):
            out = subprocess.run(
                ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1280,1000",
                 "--force-prefers-reduced-motion", "--virtual-time-budget=3000",
                 "--dump-dom", "file://" + probed],
                capture_output=True, text=True, env=dict(os.environ, HOME=d), check=True)
            m = re.search(r"fcp (\S+) change_median (\S+) change_max (\S+) states (\d+)", out.stdout)
            if not m:
                sys.exit("no probe output: " + out.stderr[-500:])
            fcps.append(float(m.group(1)))
            medians.append(float(m.group(2)))
            maxes.append(float(m.group(3)))
        size = os.path.getsize(page)
        print(f"page {size / 1e6:.2f} MB, {m.group(4)} states, {runs} runs")
        print(f"first contentful paint: median {statistics.median(fcps):.0f} ms")
        print(f"date change: median {statistics.median(medians):.2f} ms, "
              f"worst run's slowest {max(maxes):.2f} ms")


if __name__ == "__main__":
    main()
