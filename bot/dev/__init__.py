"""The development harness: a throwaway Synapse, a scripted Matrix client and the demo.

Not needed to run the bot; ``renewal-bot demo`` needs the ``[demo]`` extra (Synapse).
"""
