// Loaded at the start of <body> (not inline, so the Content Security Policy allows no inline
// script): tells GOV.UK Frontend's CSS that JavaScript runs.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
