package effconv.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectionTest {

    private static SourceCodeAnalysis.Documentation doc(String signature, String javadoc) {
        return new SourceCodeAnalysis.Documentation() {
            @Override
            public String signature() {
                return signature;
            }

            @Override
            public String javadoc() {
                return javadoc;
            }
        };
    }

    @Test
    void theCursorFindsTheNameItIsInOrTheCallItIsInside() {
        String code = "var m = Models.mobilenetV1(0.5, 160);";
        int inName = code.indexOf("mobilenet") + 3;
        assertEquals(code.indexOf('(') + 1, Inspection.docCursor(code, inName)); // a call follows: after its "("
        assertEquals(code.indexOf('(') + 1, Inspection.docCursor(code, code.indexOf(", 160") + 1)); // inside the call
        assertEquals(code.indexOf(" =") , Inspection.docCursor(code, 5));                     // at the end of "m"
        assertEquals(-1, Inspection.docCursor("1 + ", 4));
        assertEquals("Models.mobilenetV1", Inspection.dottedName("var m = Models.mobilenetV1"));
        assertEquals("", Inspection.dottedName("x + "));
    }

    @Test
    void theHelpersJavadocComesFromItsSourcesAndIsEscaped(@TempDir Path home) throws Exception {
        Path src = home.resolve("lib/src/main/java/effconv/models");
        Files.createDirectories(src);
        Files.writeString(src.resolve("Models.java"), """
                package effconv.models;
                /** The networks the papers describe. */
                public final class Models {
                    /** MobileNet v1 with width {@code alpha} at a resolution. */
                    public static Model mobilenetV1(double alpha, int resolution) { return null; }
                    /** MobileNet v1 at 224 &lt; 300. */
                    public static Model mobilenetV1(double alpha) { return null; }
                }
                """);
        List<String> asked = new ArrayList<>();
        // JShell finds nothing for the half-typed cell, then the signature (without the helper's Javadoc) for the name
        Map<String, List<SourceCodeAnalysis.Documentation>> jshell = Map.of("Models.mobilenetV1(",
                List.of(doc("Model Models.mobilenetV1(double alpha, int resolution)", null)));
        Inspection inspection = new Inspection(input -> {
            asked.add(input);
            return jshell.getOrDefault(input, List.of());
        }, HelperDocs.of(home.toString()));
        String code = "var m = Models.mobilenetV1(0.5, ";
        var data = inspection.inspect(code, code.length());
        // the cell up to the call's "(", then the name alone, then the name as a call
        assertEquals(List.of("var m = Models.mobilenetV1(", "Models.mobilenetV1", "Models.mobilenetV1("), asked);
        String text = (String) data.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN);
        assertEquals("Model Models.mobilenetV1(double alpha, int resolution)\n"
                + "MobileNet v1 with width alpha at a resolution.", text);
        String html = (String) data.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_HTML);
        assertTrue(html.startsWith("<pre>Model Models.mobilenetV1("), html);
        // the other overload is told apart by its parameters; a JDK signature keeps JShell's own Javadoc
        assertEquals("MobileNet v1 at 224 &lt; 300.", HelperDocs.of(home.toString())
                .find("Model Models.mobilenetV1(double alpha)"));
        assertEquals("The networks the papers describe.", HelperDocs.of(home.toString()).find("effconv.models.Models"));
        assertNull(HelperDocs.of(null).find("Model Models.mobilenetV1(double alpha)"));
        assertNull(inspection.inspect("1 + ", 4));
        assertEquals("a &lt;b&gt; &amp; c", Inspection.escape("a <b> & c"));
    }
}
