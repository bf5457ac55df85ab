package com.membersync.source;

/** An input file is missing or unreadable: exit code 66. The message names the file. */
public class InputProblem extends RuntimeException {

    public InputProblem(String message) {
        super(message);
    }

    public InputProblem(String message, Throwable cause) {
        super(message, cause);
    }
}
