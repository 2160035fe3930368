package effconv;

import java.util.List;

/** What a chart draws with; one drawing routine, two outputs (SVG text, PNG pixels). */
interface Canvas {

    enum Anchor { START, MIDDLE, END }

    void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed);

    void polyline(List<double[]> points, String color, double width, boolean dashed);

    void dot(double x, double y, double r, String color);

    void rect(double x, double y, double w, double h, String stroke);

    void fill(double x, double y, double w, double h, String color);

    void text(double x, double y, String s, Anchor anchor, int size, boolean bold, boolean vertical);
}
