/**
 * Charts: tablesaw-jsplot figures turned once into plotly JSON checked against what plotly.js 4 accepts, drawn
 * interactively where the client runs plotly.js and as an XChart picture everywhere else ({@code Picture}).
 * For lessons ({@code Plot} shortens the common cases) and for the kernel's renderers.
 */
package effconv.plot;
