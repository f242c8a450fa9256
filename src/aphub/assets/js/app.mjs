// Progressive enhancement only: every page works without this file.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// A security key or passkey just added (django-otp-webauthn's event): reload so the page lists it, under the
// success banner the server queued.
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());
