package effconv.kernel;

import java.util.List;
import java.util.function.Function;

import jdk.jshell.SourceCodeAnalysis;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * Shift+Tab: the signatures of what is at the cursor — the identifier it is in or after, or the call whose
 * parentheses it is inside (JJava's own inspect finds nothing once "(" is typed) — each with its Javadoc, from
 * JShell for the JDK and from the helper's sources ({@link HelperDocs}) for the course's classes.
 */
final class Inspection {
    private final Function<String, List<SourceCodeAnalysis.Documentation>> documentation;
    private final HelperDocs helperDocs;

    /** {@code documentation}: JShell's documentation of an input, documented at its end (empty if none). */
    Inspection(Function<String, List<SourceCodeAnalysis.Documentation>> documentation, HelperDocs helperDocs) {
        this.documentation = documentation;
        this.helperDocs = helperDocs;
    }

    /** The inspect_reply's data for the cursor at {@code at} in {@code code}, or null if there is nothing to show. */
    DisplayData inspect(String code, int at) {
        int cursor = docCursor(code, Math.min(at, code.length()));
        if (cursor < 0) {
            return null;
        }
        // the cell up to the cursor; failing that (JShell may not parse a half-typed statement), the dotted name
        // alone ("Models.mobilenetV1"), then as a call
        String before = code.substring(0, cursor);
        String name = dottedName(before.endsWith("(") ? before.substring(0, before.length() - 1) : before);
        List<SourceCodeAnalysis.Documentation> docs = List.of();
        for (String input : List.of(before, name, name + "(")) {
            if (!input.isEmpty() && !input.equals("(")) {
                docs = documentation.apply(input);
                if (!docs.isEmpty()) {
                    break;
                }
            }
        }
        if (docs.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            String doc = d.javadoc() != null ? d.javadoc() : helperDocs.find(d.signature());
            if (text.length() > 0) {
                text.append("\n\n");
                html.append("<hr/>");
            }
            text.append(d.signature());
            html.append("<pre>").append(escape(d.signature())).append("</pre>");
            if (doc != null && !doc.isBlank()) {
                text.append('\n').append(doc.strip());
                html.append("<p>").append(escape(doc.strip())).append("</p>");
            }
        }
        DisplayData out = new DisplayData(text.toString());
        out.putHTML(html.toString());
        return out;
    }

    /** The dotted identifier chain the text ends with: "var m = Models.mobilenetV1" -> "Models.mobilenetV1". */
    static String dottedName(String text) {
        int i = text.length();
        while (i > 0 && (Character.isJavaIdentifierPart(text.charAt(i - 1)) || text.charAt(i - 1) == '.')) {
            i--;
        }
        return text.substring(i);
    }

    /**
     * Where JShell should look: after "(" of the call the cursor is in, or at the end of the identifier the cursor
     * is in or just after (then after its "(" if a call follows); -1 if there is nothing to document.
     */
    static int docCursor(String code, int at) {
        int end = at;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++;
        }
        if (end > 0 && Character.isJavaIdentifierPart(code.charAt(end - 1))) {
            int next = end;
            while (next < code.length() && Character.isWhitespace(code.charAt(next))) {
                next++;
            }
            return next < code.length() && code.charAt(next) == '(' ? next + 1 : end;
        }
        int depth = 0;  // inside a call's arguments: find its unclosed "("
        for (int i = at - 1; i >= 0; i--) {
            char c = code.charAt(i);
            if (c == ')') {
                depth++;
            } else if (c == '(') {
                if (depth == 0) {
                    return i + 1;
                }
                depth--;
            } else if (c == ';' || c == '{' || c == '}') {
                break;
            }
        }
        return -1;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
