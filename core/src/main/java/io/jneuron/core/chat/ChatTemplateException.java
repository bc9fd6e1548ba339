package io.jneuron.core.chat;

import io.jneuron.core.NeuronKernelException;

/** A chat template that cannot render the messages: the template refused them, or Jinjava cannot run it. */
public final class ChatTemplateException extends NeuronKernelException {
    public ChatTemplateException(String message) {
        super(message);
    }

    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
