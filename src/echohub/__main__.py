from echohub.cli import main

main()
