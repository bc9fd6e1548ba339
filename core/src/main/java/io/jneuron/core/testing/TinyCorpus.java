package io.jneuron.core.testing;

/**
 * A small English text, written for this project, that the tiny tokenizers are trained on. It mixes
 * story, instructions, numbers and punctuation so the learned merges look like a real tokenizer's
 * (" the", "ing", " of") and tutorials tokenize ordinary prompts into sensible pieces.
 */
final class TinyCorpus {
    private TinyCorpus() {
    }

    static final String TEXT = """
            Once upon a time, in a small village by the sea, there lived an old fisherman and his daughter. \
            Every morning the fisherman went out in his little boat, and every evening he came back with \
            a basket of fish. His daughter waited for him on the shore, and together they walked home \
            along the narrow path between the rocks and the tall grass.
            One day a storm came from the west. The sky turned dark, the wind began to howl, and the waves \
            grew higher and higher. The daughter stood on the shore and looked for the boat, but she could \
            not see it. She lit a lamp and held it up so that her father could find his way back to the land.
            The night was long and cold. When the sun rose in the morning, the storm was over and the sea \
            was calm again. Far away, a small boat was coming slowly towards the village. The daughter ran \
            down to the water, and there was her father, tired and wet, but safe and smiling.
            "I saw your light," he said. "It was the only thing I could see in the dark, and it brought me home."
            From that day on, the people of the village kept a lamp burning on the shore every night, so \
            that no one would ever be lost at sea again. They called it the light of the daughter, and the \
            children of the village still tell the story today.

            A computer is a machine that follows instructions. The instructions are written in a program, \
            and the program is stored in memory together with the data it works on. The processor reads \
            each instruction, does what it says, and moves on to the next one. Modern processors can do \
            billions of simple operations every second, and they often have several cores that work at \
            the same time.
            A language model is a program that predicts the next word in a piece of text. It reads the \
            words that came before, turns them into numbers called tokens, and computes a score for every \
            token in its vocabulary. The token with the highest score is the most likely next word. By \
            repeating this step many times, the model can write whole sentences, answer questions, and \
            translate from one language into another.
            Before the text reaches the model, a tokenizer splits it into pieces. Common words such as \
            "the", "and" or "of" become single tokens, while rare words are split into smaller parts. \
            The tokenizer must be fast and it must always give the same answer for the same input, \
            because the model was trained on exactly those pieces.
            To train a model, we show it a very large amount of text and adjust its weights a little after \
            every example, so that its predictions become slightly better each time. Training a large model \
            takes weeks and needs thousands of accelerators, but running a small model only needs a laptop.

            How to make a cup of tea: first, fill the kettle with fresh water and bring it to the boil. \
            While you wait, put one tea bag or a spoon of loose leaves into the cup. Pour the hot water \
            over the tea and let it stand for three to five minutes. Remove the bag, add milk or lemon if \
            you like, and stir gently. Some people also add a little honey or sugar.
            How to plant a tree: choose a sunny place with good soil. Dig a hole that is twice as wide as \
            the roots and just as deep. Place the tree in the hole, fill it with soil, and press the earth \
            down firmly with your hands. Water the tree well, and keep watering it every week during the \
            first summer while the roots are still growing.

            The year has twelve months and four seasons. In spring the days grow longer and the flowers \
            open; in summer it is warm and the children play outside until late in the evening. In autumn \
            the leaves turn red, yellow and brown, and in winter the nights are long and the lakes freeze.
            There are 7 days in a week, 24 hours in a day, 60 minutes in an hour and 60 seconds in a minute. \
            A year usually has 365 days, but every fourth year has 366. The train leaves at 8:15 and \
            arrives at 10:40, so the journey takes 2 hours and 25 minutes. In 2024 the city had about \
            1,250,000 people, and the price of a ticket was 3.50 euros.
            Water boils at 100 degrees and freezes at 0 degrees. The Earth goes around the Sun once a year, \
            and the Moon goes around the Earth about once a month. Light from the Sun needs a little more \
            than eight minutes to reach us.

            The little robot woke up in an empty room. It did not know where it was, and it did not know \
            what it was supposed to do. It looked at its hands, then at the door, then at the window. \
            Outside, the city was full of people walking, talking and laughing. The robot opened the door \
            and went out to learn what people do all day. It watched a baker making bread, a teacher \
            reading to her class, and a doctor helping an old man across the street. At the end of the day \
            the robot came back to its room and wrote down everything it had learned. "Tomorrow," it said \
            to itself, "I will learn something new again."
            Questions and answers: What is the capital of France? The capital of France is Paris. What \
            colour is the sky on a clear day? It is blue. How many legs does a spider have? A spider has \
            eight legs. Why do we sleep? We sleep so that our body and our mind can rest and grow.
            She thought that the weather would be better tomorrow, and she was right: the morning was \
            bright and clear, the birds were singing, and everyone in the house was happy. They're going \
            to the market, we've finished our work, and I'm sure you'll enjoy the walk. It's a good day, \
            isn't it? Let's go!
            """;
}
