package dev.groundwork.engine.dist;

/**
 * A collective that failed or timed out, or a communicator that could not be set up. The message
 * starts with the rank that reports it, so that the lines of several processes can be told apart.
 */
public final class CommunicatorException extends RuntimeException {
    public CommunicatorException(String message) { super(message); }

    public CommunicatorException(String message, Throwable cause) { super(message, cause); }
}
