// HTML pages of the Auth0 stand-in: the hosted login page (stands in for Universal Login), the
// error page Auth0 shows when it cannot redirect back, and the two response pages of the
// non-redirect response modes (form_post, web_message). Local tooling only, never deployed.
import { escapeHtml } from "../lib/http.mjs";

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f3f4f6; color: #111827; }
  main { max-width: 24rem; margin: 4rem auto; padding: 2rem; background: #fff; border-radius: 8px; border: 1px solid #d1d5db; }
  h1 { font-size: 1.5rem; margin: 0 0 0.5rem; }
  label { display: block; font-weight: 600; margin: 1rem 0 0.25rem; }
  input[type=email] { width: 100%; box-sizing: border-box; padding: 0.6rem; font-size: 1rem; border: 1px solid #6b7280; border-radius: 4px; }
  input[aria-invalid=true] { border-color: #b91c1c; }
  button { margin-top: 1.25rem; width: 100%; padding: 0.7rem; font-size: 1rem; color: #fff; background: #1d4ed8; border: 0; border-radius: 4px; cursor: pointer; }
  button:focus-visible, input:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
  .hint { color: #374151; font-size: 0.9rem; }
  .error { color: #b91c1c; font-weight: 600; }
  code { word-break: break-all; }
`;

function layout(title, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

/**
 * The login form. `fields` are the authorize parameters, carried in hidden inputs so the POST
 * is validated again exactly like the GET (nothing is trusted from the first request).
 */
export function loginPage({ action, fields, email = "", error = null }) {
  const hidden = Object.entries(fields)
    .filter(([, v]) => v !== undefined && v !== null && v !== "")
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("\n");
  const invalid = error ? ` aria-invalid="true" aria-describedby="email-error"` : "";
  return layout(
    "Log in | AOVIS ID",
    `<h1>Welcome</h1>
<p>Log in to AOVIS to continue to AOVIS Edge.</p>
<form method="post" action="${escapeHtml(action)}" novalidate>
${hidden}
<label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="email" inputmode="email" required value="${escapeHtml(email)}"${invalid}>
${error ? `<p id="email-error" class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<button type="submit">Continue</button>
</form>
<p class="hint">Local Auth0 stand-in: any email address signs in, no password is asked.</p>`,
  );
}

/** What Auth0 shows when the request cannot be answered by a redirect (unknown client, bad callback URL). */
export function errorPage({ error, description }) {
  return layout(
    "Error | AOVIS ID",
    `<h1>Oops!, something went wrong</h1>
<p class="error" role="alert"><code>${escapeHtml(error)}</code>: ${escapeHtml(description)}</p>
<p class="hint">The application's sign-in request was refused by the identity provider.</p>`,
  );
}

/** JSON for an inline script: `<` escaped so a value can never close the script element. */
function scriptJson(value) {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * response_mode=web_message (auth0-spa-js silent auth / popup): posts
 * {type:"authorization_response", response} to the opener or parent, only to the redirect_uri's origin.
 */
export function webMessagePage({ targetOrigin, response, nonce }) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Authorization Response</title></head>
<body><script nonce="${escapeHtml(nonce)}">
(function () {
  var message = { type: "authorization_response", response: ${scriptJson(response)} };
  var target = window.opener || window.parent;
  target.postMessage(message, ${scriptJson(targetOrigin)});
})();
</script></body></html>`;
}

/** response_mode=form_post: an auto-submitting form to the redirect_uri (button kept for no-JS). */
export function formPostPage({ action, fields, nonce }) {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("\n");
  return layout(
    "Submit This Form",
    `<h1>Continue to the application</h1>
<form method="post" name="hiddenform" action="${escapeHtml(action)}">
${inputs}
<button type="submit">Continue</button>
</form>
<script nonce="${escapeHtml(nonce)}">document.forms.hiddenform.submit();</script>`,
  );
}
