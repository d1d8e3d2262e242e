from django.db import models


class AgencyKind(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    POLICE = "police", "Police"
    HEALTH_VISITING = "health_visiting", "Health visiting"
    MIDWIFERY = "midwifery", "Midwifery"
    GP = "gp", "GP"
    HOSPITAL = "hospital", "Hospital"
    SCHOOL = "school", "School"
    EARLY_YEARS = "early_years", "Early years"
    CAMHS = "camhs", "CAMHS"
    ADULT_MENTAL_HEALTH = "adult_mental_health", "Adult mental health"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse service"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    DOMESTIC_ABUSE_SERVICE = "domestic_abuse_service", "Domestic abuse service"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    OTHER = "other", "Other"


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=AgencyKind.choices)
    area = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name
