/** The case record page's HTML: a shell the browser script fills in, or a refusal with no script. */

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function layout(main: string, script: boolean): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Case oversight record</title>
<link rel="stylesheet" href="/tab/assets/record.css">
${script ? '<script type="module" src="/tab/assets/main.js"></script>' : ''}
</head>
<body>
${main}
</body>
</html>`;
}

/** The page the script renders the record into. */
export function shellPage(): string {
  return layout('<main id="app" data-state="loading"><p>Loading the oversight record…</p></main>', true);
}

/** A refusal, said plainly, with no case data and no script. */
export function refusalPage(title: string, detail: string): string {
  return layout(
    `<main id="app" data-state="refused"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></main>`,
    false,
  );
}

export const stylesheet = `
:root { font-family: "Segoe UI", system-ui, sans-serif; color: #1f1f1f; background: #fafafa; }
body { margin: 0; padding: 1.5rem; max-width: 60rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; border-bottom: 1px solid #ddd; padding-bottom: .25rem; }
h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
.meta { color: #555; margin: 0 0 1rem; }
section.request { background: #fff; border: 1px solid #e1e1e1; border-radius: 6px; padding: 1rem; margin: 1rem 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: .5rem 0; }
dt { font-weight: 600; }
dd { margin: 0; white-space: pre-wrap; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; border-bottom: 1px solid #eee; padding: .3rem .4rem; vertical-align: top; }
.status { display: inline-block; padding: 0 .4rem; border-radius: 4px; background: #eef; font-size: .85rem; }
[data-state="refused"] h1 { color: #a4262c; }
`;
