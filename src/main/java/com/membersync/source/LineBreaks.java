package com.membersync.source;

/**
 * One rule for line breaks inside a value, whatever the input: LF. opencsv reads a CR or CRLF inside a quoted cell
 * so, and a query feed of the same data sends the same bytes.
 */
final class LineBreaks {

    private LineBreaks() {}

    static String toLf(String text) {
        return text == null || text.indexOf('\r') < 0 ? text : text.replace("\r\n", "\n").replace('\r', '\n');
    }
}
