"""What each WebGL draw call of the map costs (software WebGL): frames and draw calls of a first load and a change.

Usage: python benchmarks/drawcost_map.py --url URL [--label Län] [--option "Stockholms län (01)"] [--wait 12]

Diagnostic, not a benchmark: every draw call is followed by a 1-pixel ``readPixels`` so its GPU time (SwiftShader,
in the GPU process) is measured on its own. That serialises the pipeline and makes a frame slower than
in normal use, but it shows which shader (deck.gl's ``SHADER_NAME``: layer kind), how many vertices and
instances, and how many frames an interaction draws. Frames are the draw calls of one animation frame.
"""

from __future__ import annotations

import argparse
import collections
import time

from profile_map import CHROMIUM_ARGS

HOOK = r"""
(() => {
  const now = () => performance.now();
  window.__draws = [];
  const names = new WeakMap(), progName = new WeakMap(), px = new Uint8Array(4);
  let frame = 0;
  const tick = () => { frame++; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  for (const C of [window.WebGLRenderingContext, window.WebGL2RenderingContext]) {
    if (!C) continue;
    const P = C.prototype;
    const shaderSource = P.shaderSource;
    P.shaderSource = function (sh, src) {
      const m = /#define SHADER_NAME (\S+)/.exec(src);
      if (m) names.set(sh, m[1]);
      return shaderSource.apply(this, arguments);
    };
    const attach = P.attachShader;
    P.attachShader = function (prog, sh) {
      const n = names.get(sh);
      if (n && /vertex|vs/.test(n)) progName.set(prog, n);
      else if (n && !progName.get(prog)) progName.set(prog, n);
      return attach.apply(this, arguments);
    };
    const use = P.useProgram;
    P.useProgram = function (prog) { this.__prog = prog; return use.apply(this, arguments); };
    const wrap = (name, countIdx, instIdx) => {
      const orig = P[name];
      if (typeof orig !== 'function') return;
      P[name] = function () {
        const fb = this.getParameter(this.FRAMEBUFFER_BINDING);
        const t0 = now();
        const res = orig.apply(this, arguments);
        this.readPixels(0, 0, 1, 1, this.RGBA, this.UNSIGNED_BYTE, px);  // waits for the GPU (finish() does not)
        const t1 = now();
        window.__draws.push({frame, t: Math.round(t0), ms: +(t1 - t0).toFixed(1), call: name,
          count: arguments[countIdx] | 0, instances: instIdx === undefined ? 1 : (arguments[instIdx] | 0),
          shader: progName.get(this.__prog) || '?', offscreen: !!fb});
        return res;
      };
    };
    wrap('drawArrays', 2); wrap('drawElements', 1);
    wrap('drawArraysInstanced', 2, 3); wrap('drawElementsInstanced', 1, 4);
  }
})();
"""


def report(draws: list[dict], label: str) -> None:
    frames = collections.defaultdict(list)
    for d in draws:
        frames[d["frame"]].append(d)
    print(f"[{label}] {len(frames)} frames with draws, {sum(d['ms'] for d in draws):.0f} ms of GPU time in draws")
    for f, ds in sorted(frames.items()):
        total = sum(d["ms"] for d in ds)
        parts = ", ".join(
            f"{d['shader'].replace('-vertex-shader', '')}{' (offscreen)' if d['offscreen'] else ''} "
            f"{d['count']}x{d['instances']} {d['ms']:.0f}ms"
            for d in ds
        )
        print(f"  t={ds[0]['t'] / 1000:7.2f}s frame {f}: {total:6.0f} ms  {parts}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--label", default="Län")
    ap.add_argument("--option", action="append", help="option(s) to choose in turn (default: Stockholms län (01))")
    ap.add_argument("--wait", type=float, default=12)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.add_init_script(HOOK)
        page.goto(args.url)
        page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.wait_for(timeout=120_000)
        time.sleep(args.wait)
        report(page.evaluate("window.__draws"), "load")
        for option in args.option or ["Stockholms län (01)"]:
            page.evaluate("window.__draws = []")
            page.locator("[data-testid=stSelectbox]").filter(has_text=args.label).first.click()
            page.get_by_role("option", name=option).click()
            page.mouse.move(2, 2)
            time.sleep(args.wait)
            report(page.evaluate("window.__draws"), option)
        browser.close()


if __name__ == "__main__":
    main()
