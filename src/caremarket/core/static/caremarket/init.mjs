// Starts GOV.UK Frontend's components (a file, not an inline script: see js-enabled.js).
import { initAll } from "../govuk/govuk-frontend.min.js";
initAll();
