package dev.groundwork.tools;

/**
 * The four training stages and their README settings (§8.1-8.3): lr, batch, epochs, dropout, the BERT
 * layers left learnable (paper preset; the 2-layer demo BERT uses its own), and the lr step.
 */
enum Stage {
    VISUAL("visual", 0.01, 200, 200, 0.1, 0, 0, 20),
    TWO_STREAM("two-stream", 5e-5, 180, 100, 0.3, 8, 2, 15),
    RELATIONAL("relational", 1e-5, 180, 150, 0.1, 2, 1, 15),
    RETRIEVAL("retrieval", 5e-5, 300, 150, 0.1, 0, 0, 30);

    final String cli;
    final double lr, dropout;
    final int batch, epochs, learnablePaper, learnableDemo, decayEvery;

    Stage(String cli, double lr, int batch, int epochs, double dropout, int learnablePaper, int learnableDemo, int decayEvery) {
        this.cli = cli;
        this.lr = lr;
        this.batch = batch;
        this.epochs = epochs;
        this.dropout = dropout;
        this.learnablePaper = learnablePaper;
        this.learnableDemo = learnableDemo;
        this.decayEvery = decayEvery;
    }
}
