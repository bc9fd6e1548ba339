package io.jneuron.core.chat;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChatMessagesTest {
    private static ChatTemplate.Message m(String role, String content) {
        return new ChatTemplate.Message(role, content);
    }

    @Test
    void plainTextIsOneUserMessage() {
        assertEquals(List.of(m("user", "Once upon a time")), ChatMessages.parse("Once upon a time"));
        assertEquals(List.of(m("user", "a: b\nc")), ChatMessages.parse("a: b\nc"));
    }

    @Test
    void roleLinesOpenMessagesAndLaterLinesContinueThem() {
        assertEquals(List.of(m("system", "Be brief."), m("user", "Hello\nthere"), m("assistant", "Hi!"), m("user", "More")),
                ChatMessages.parse("system: Be brief.\nuser: Hello\nthere\nAssistant: Hi!\nuser:\nMore\n"));
        assertEquals(List.of(m("user", "intro"), m("assistant", "x")), ChatMessages.parse("intro\nassistant: x"));
        // An indented "user:" is text, not a role line.
        assertEquals(List.of(m("user", "q\n  user: quoted")), ChatMessages.parse("q\n  user: quoted"));
    }
}
