// Material renders each `pre.mermaid` with the global `mermaid` and, when there is none,
// fetches Mermaid from unpkg.com. This stand-in is the global it finds: it loads the copy the
// site serves itself (assets/vendor/mermaid), and only once a page has a diagram to render.
// Loaded on every page, Mermaid cost 3.6 MB and about 1.2 s of phone CPU on each fresh load,
// though most pages have no diagram (benchmarks/phone.py).
(() => {
  const source = new URL("../../vendor/mermaid/mermaid.min.js", document.currentScript.src).href;
  let settings = {};
  let loading = null;

  const load = () => loading ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = source;
    script.onload = () => {
      window.mermaid.initialize(settings);  // the real library has replaced this stand-in
      resolve(window.mermaid);
    };
    script.onerror = () => reject(new Error(`Mermaid did not load from ${source}`));
    document.head.append(script);
  });

  window.mermaid = {
    initialize(options) { settings = options; },
    async render(id, text) { return (await load()).render(id, text); },
  };
})();
