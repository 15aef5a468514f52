// The /docs page: Swagger UI over the explorer's OpenAPI schema, served from the package (no CDN).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null, // the public validator badge would call out to swagger.io
  });
});
