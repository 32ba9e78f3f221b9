/**
 * The response viewer's HTML page. Pure (no `vscode`), so browser tests load exactly the page
 * and Content Security Policy the extension uses.
 */
export interface ViewerHtmlParts {
  /** `webview.cspSource`: the origin local resources are served from. */
  cspSource: string;
  /** Fresh per render; only the script carrying it may run. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Content-Security-Policy for the viewer: nothing inline, no network, scripts only by nonce. */
export function viewerCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

/** Builds the viewer page around the bundled script and stylesheet. */
export function buildHtml(parts: ViewerHtmlParts): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(parts.nonce)) throw new Error('The nonce must be a long random token');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(viewerCsp(parts.cspSource, parts.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(parts.styleUri)}">
<title>Noon response</title>
</head>
<body>
<main id="app"></main>
<script nonce="${attr(parts.nonce)}" src="${attr(parts.scriptUri)}"></script>
</body>
</html>
`;
}
