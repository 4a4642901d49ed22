app_name = "saft"
urlpatterns: list = []
