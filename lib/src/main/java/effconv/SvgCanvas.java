package effconv;

import java.util.List;
import java.util.Locale;

/** Draws into an SVG document. */
final class SvgCanvas implements Canvas {
    private final StringBuilder sb = new StringBuilder();

    SvgCanvas(int w, int h) {
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h)
                .append("\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    }

    String finish() {
        return sb.append("</svg>\n").toString();
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String stroke(String color, double width, boolean dashed) {
        return " fill=\"none\" stroke=\"" + color + "\" stroke-width=\"" + f(width) + "\""
                + (dashed ? " stroke-dasharray=\"6,4\"" : "");
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed) {
        sb.append("<line x1=\"").append(f(x1)).append("\" y1=\"").append(f(y1)).append("\" x2=\"").append(f(x2))
                .append("\" y2=\"").append(f(y2)).append('"').append(stroke(color, width, dashed)).append("/>\n");
    }

    @Override
    public void polyline(List<double[]> points, String color, double width, boolean dashed) {
        sb.append("<polyline points=\"");
        for (int i = 0; i < points.size(); i++) {
            sb.append(i == 0 ? "" : " ").append(f(points.get(i)[0])).append(',').append(f(points.get(i)[1]));
        }
        sb.append('"').append(stroke(color, width, dashed)).append("/>\n");
    }

    @Override
    public void dot(double x, double y, double r, String color) {
        sb.append("<circle cx=\"").append(f(x)).append("\" cy=\"").append(f(y)).append("\" r=\"").append(f(r))
                .append("\" fill=\"").append(color).append("\"/>\n");
    }

    @Override
    public void rect(double x, double y, double w, double h, String stroke) {
        sb.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"").append(f(w))
                .append("\" height=\"").append(f(h)).append("\" fill=\"none\" stroke=\"").append(stroke)
                .append("\"/>\n");
    }

    @Override
    public void fill(double x, double y, double w, double h, String color) {
        sb.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"").append(f(w))
                .append("\" height=\"").append(f(h)).append("\" fill=\"").append(color).append("\"/>\n");
    }

    @Override
    public void text(double x, double y, String s, Anchor anchor, int size, boolean bold, boolean vertical) {
        String a = switch (anchor) {
            case START -> "start";
            case MIDDLE -> "middle";
            case END -> "end";
        };
        sb.append("<text x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" text-anchor=\"").append(a)
                .append("\" font-size=\"").append(size).append('"').append(bold ? " font-weight=\"bold\"" : "")
                .append(vertical ? " transform=\"rotate(-90 " + f(x) + " " + f(y) + ")\"" : "").append('>')
                .append(s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")).append("</text>\n");
    }
}
