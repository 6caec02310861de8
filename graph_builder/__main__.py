from graph_builder.cli import main

main()
