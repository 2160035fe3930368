package effconv;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import javax.imageio.ImageIO;

/** Draws into a PNG with Java2D (headless; no display or network needed). */
final class PngCanvas implements Canvas {
    private final BufferedImage image;
    private final Graphics2D g;

    PngCanvas(int w, int h, int scale) {
        System.setProperty("java.awt.headless", "true");
        image = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.scale(scale, scale);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
    }

    byte[] finish() {
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void stroke(String color, double width, boolean dashed) {
        g.setColor(Color.decode(color));
        g.setStroke(dashed
                ? new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f)
                : new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed) {
        stroke(color, width, dashed);
        g.draw(new Line2D.Double(x1, y1, x2, y2));
    }

    @Override
    public void polyline(List<double[]> points, String color, double width, boolean dashed) {
        stroke(color, width, dashed);
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < points.size(); i++) {
            if (i == 0) {
                p.moveTo(points.get(i)[0], points.get(i)[1]);
            } else {
                p.lineTo(points.get(i)[0], points.get(i)[1]);
            }
        }
        g.draw(p);
    }

    @Override
    public void dot(double x, double y, double r, String color) {
        g.setColor(Color.decode(color));
        g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
    }

    @Override
    public void rect(double x, double y, double w, double h, String stroke) {
        stroke(stroke, 1, false);
        g.draw(new Rectangle2D.Double(x, y, w, h));
    }

    @Override
    public void fill(double x, double y, double w, double h, String color) {
        g.setColor(Color.decode(color));
        g.fill(new Rectangle2D.Double(x, y, w, h));
    }

    @Override
    public void text(double x, double y, String s, Anchor anchor, int size, boolean bold, boolean vertical) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, size));
        double w = g.getFontMetrics().stringWidth(s);
        double dx = switch (anchor) {
            case START -> 0;
            case MIDDLE -> -w / 2;
            case END -> -w;
        };
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        if (vertical) {
            g.rotate(-Math.PI / 2);
        }
        g.drawString(s, (float) dx, 0f);
        g.setTransform(saved);
    }
}
