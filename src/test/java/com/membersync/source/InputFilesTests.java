package com.membersync.source;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTests {

    @TempDir
    Path folder;

    @Test
    void utf8TextPassesWhereverItsMultiByteCharactersFall() throws Exception {
        // ASCII runs with multi-byte characters at every offset, across the checker's 1 MiB buffer boundaries
        StringBuilder text = new StringBuilder("id,name\n");
        for (int i = 0; text.length() < 3_000_000; i++) {
            text.append("m").append(i).append(",").append("x".repeat(i % 7)).append(i % 3 == 0 ? "Zoë 漢字 😀" : "plain").append('\n');
        }
        Path file = write(text.toString().getBytes(StandardCharsets.UTF_8));

        assertThatCode(() -> InputFiles.requireUtf8("f", file)).doesNotThrowAnyException();
    }

    @Test
    void aLatin1ByteAnywhereIsRefused() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("id,name\n".repeat(200_000).getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("m1,Zo".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xEB); // ë in ISO-8859-1
        bytes.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
        Path file = write(bytes.toByteArray());

        assertThatThrownBy(() -> InputFiles.requireUtf8("f", file)).isInstanceOf(InputProblem.class)
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void aMultiByteCharacterCutOffAtTheEndIsRefused() throws Exception {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("id\nm1\n".getBytes(StandardCharsets.UTF_8));
        bytes.write(euro, 0, 2);
        Path file = write(bytes.toByteArray());

        assertThatThrownBy(() -> InputFiles.requireUtf8("f", file)).isInstanceOf(InputProblem.class);
    }

    private Path write(byte[] content) throws Exception {
        Path file = folder.resolve("in.csv");
        Files.write(file, content);
        return file;
    }
}
