package com.membersync.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A proxy that forwards nothing: a browser started with {@code --proxy-server} pointing here sends every request it
 * makes to this socket, which records the request line ({@code GET http://host/path}, {@code CONNECT host:443}) and
 * hangs up. What a page loads shows up here, without any network.
 */
public final class ConnectionTrap implements AutoCloseable {

    private final ServerSocket socket;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public ConnectionTrap() throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("connection-trap").start(this::accept);
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** The request line of every connection so far, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void accept() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                client.setSoTimeout(2000);
                requests.add(firstLine(client.getInputStream()));
            } catch (IOException closedOrReset) {
                // closed: the test is over; reset: the browser gave up, nothing more to read
            }
        }
    }

    private static String firstLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        try {
            for (int c = in.read(); c >= 0 && c != '\n' && line.length() < 2000; c = in.read()) {
                line.append((char) c);
            }
        } catch (SocketTimeoutException silent) {
            return line.isEmpty() ? "(connected, sent nothing)" : line.toString().strip();
        }
        return line.toString().strip(); // request lines are ASCII
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
